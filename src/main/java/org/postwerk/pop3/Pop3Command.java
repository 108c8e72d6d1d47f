package org.postwerk.pop3;

import java.util.Optional;
import java.util.OptionalInt;

/** One POP3 command line, parsed (RFC 1939 §5-7, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH). */
public sealed interface Pop3Command {
    record User(String name) implements Pop3Command {}

    /** The password as sent: the rest of the line after one space (RFC 1939 §7 lets it hold spaces). */
    record Pass(String password) implements Pop3Command {}

    /** AUTH alone lists the mechanisms (as many servers do for older clients); the response may be "=" (empty). */
    record Auth(Optional<String> mechanism, Optional<String> initialResponse) implements Pop3Command {}

    record Apop() implements Pop3Command {}

    record Stls() implements Pop3Command {}

    record Capa() implements Pop3Command {}

    record Quit() implements Pop3Command {}

    record Stat() implements Pop3Command {}

    /** LIST, with or without a message number (named for the verb; not java.util.List). */
    record ListMessages(OptionalInt message) implements Pop3Command {}

    record Retr(int message) implements Pop3Command {}

    record Dele(int message) implements Pop3Command {}

    record Noop() implements Pop3Command {}

    record Rset() implements Pop3Command {}

    /** TOP msg n: the header and the first {@code lines} lines of the body (RFC 1939 §7). */
    record Top(int message, int lines) implements Pop3Command {}

    record Uidl(OptionalInt message) implements Pop3Command {}

    /** A known verb with bad arguments. */
    record Invalid(String verb) implements Pop3Command {}

    /** A verb we do not know. */
    record Unknown() implements Pop3Command {}
}
