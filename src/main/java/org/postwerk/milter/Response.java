package org.postwerk.milter;

import org.postwerk.smtp.Reply;

/** A milter's answer to one step (its modifications at end of message come beside it, see {@link Modification}). */
sealed interface Response {
    /** Go on (SMFIR_CONTINUE), or no answer expected (an SMFIP_NR_* step, a skipped step). */
    record Continue() implements Response {}

    /** Take the message (or connection) without asking this milter again (SMFIR_ACCEPT). */
    record Accept() implements Response {}

    /** Say 250 but drop the message (SMFIR_DISCARD). */
    record Discard() implements Response {}

    /** No more body chunks, please (SMFIR_SKIP, only in the body). */
    record Skip() implements Response {}

    /** Reject, tempfail, a reply of the milter's own (SMFIR_REPLYCODE), or 421 (SMFIR_SHUTDOWN, CONN_FAIL). */
    record Refuse(Reply reply, String action) implements Response {}

    /** The milter is unreachable, timed out, or broke the protocol: its default action applies. */
    record Failed(String reason) implements Response {}

    Response CONTINUE = new Continue();
}
