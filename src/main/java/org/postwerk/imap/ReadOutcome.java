package org.postwerk.imap;

/**
 * What {@link CommandReader} got from the client. Every refusal says whether the stream is still in step
 * ({@code inStep}: the next octet starts a new command, so the session answers and goes on) or not (the
 * session answers with BYE and closes, RFC 7888 §4 allows either for an unwanted non-synchronizing literal).
 * {@code tag} is the tag of the refused command when one could be read, else null; {@code command} its
 * command word in upper case (or null), so the session can answer APPEND with {@code NO [TOOBIG]} (RFC 7889
 * §3) and other commands with BAD.
 */
public sealed interface ReadOutcome {
    /** A complete command with all its literals. */
    record Ready(RawCommand command) implements ReadOutcome {}

    /** The command text (without literals) exceeded the line limit. */
    record LineTooLong(String tag, String command, boolean inStep) implements ReadOutcome {}

    /**
     * A literal beyond a limit: the literal limit, what is left of the command limit, or 4096 octets for a
     * non-synchronizing literal under LITERAL- (RFC 7888 §5). A synchronizing literal was not read (the
     * client waits for a continuation that never comes, RFC 9051 §4.3); a non-synchronizing one was read and
     * discarded when not too large.
     */
    record LiteralTooBig(String tag, String command, long size, boolean synchronizing, boolean inStep)
            implements ReadOutcome {}

    /** More literals in one command than allowed. */
    record TooManyLiterals(String tag, String command, boolean inStep) implements ReadOutcome {}

    /**
     * The session's continuation callback declined a synchronizing literal (e.g. APPEND to a mailbox that
     * does not exist, or over quota); nothing of it was read and the session sends the tagged reply now.
     */
    record Refused(String tag, String command, long size) implements ReadOutcome {}

    /** The client closed the connection; {@code midCommand} when a command was partly received. */
    record Eof(boolean midCommand) implements ReadOutcome {}
}
