package org.postwerk.smtp.server;

import org.postwerk.smtp.Reply;

/**
 * The fixed replies of the SMTP server session, each with its enhanced status code (RFC 3463). Client text is
 * generic; what the client did wrong in detail goes to the log.
 */
final class Replies {
    private Replies() {}

    static final Reply OK = Reply.of(250, 2, 0, 0, "OK");
    static final Reply SENDER_OK = Reply.of(250, 2, 1, 0, "Sender OK");
    static final Reply START_DATA = Reply.plain(354, java.util.List.of("End data with <CR><LF>.<CR><LF>"));

    // RFC 5321 §4.1.4: commands out of order.
    static final Reply NEED_HELO = Reply.of(503, 5, 5, 1, "Send EHLO/HELO first");
    static final Reply NEED_MAIL = Reply.of(503, 5, 5, 1, "Need MAIL before RCPT");
    static final Reply NEED_MAIL_FOR_DATA = Reply.of(503, 5, 5, 1, "Need MAIL command");
    static final Reply NESTED_MAIL = Reply.of(503, 5, 5, 1, "Sender already specified");
    static final Reply NO_RECIPIENTS = Reply.of(554, 5, 5, 1, "No valid recipients");

    static final Reply NEED_AUTH = Reply.of(530, 5, 7, 0, "Authentication required");
    static final Reply SENDER_NOT_OWNED = Reply.of(553, 5, 7, 1, "Sender address not owned by the authenticated user");
    static final Reply RELAY_DENIED = Reply.of(550, 5, 7, 1, "Relaying denied");
    static final Reply NO_SUCH_USER = Reply.of(550, 5, 1, 1, "No such user here");
    /** RFC 5321 §4.5.3.1.8: beyond our limit 452, and the client sends the rest in another transaction. */
    static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, 4, 5, 3, "Too many recipients");
    /** RFC 1870 §6.1, RFC 5321 §4.2.2: no room for the message now; RFC 3463 4.3.1: mail system full. */
    static final Reply NO_STORAGE = Reply.of(452, 4, 3, 1, "Insufficient system storage, try again later");
    static final Reply NOT_UTF8 = Reply.of(553, 5, 6, 7, "Non-ASCII address needs SMTPUTF8");
    static final Reply REQUIRETLS_WITHOUT_TLS = Reply.of(530, 5, 7, 10, "REQUIRETLS needs a TLS session");
    static final Reply ESMTP_PARAMETERS_AFTER_HELO = Reply.of(555, 5, 5, 4, "ESMTP parameters need EHLO");
    static final Reply BINARYMIME = Reply.of(555, 5, 5, 4, "BINARYMIME not supported");

    // The content (DATA or BDAT).
    static final Reply TOO_BIG = Reply.of(552, 5, 3, 4, "Message size exceeds fixed maximum message size");
    static final Reply BARE_LINE_END = Reply.of(550, 5, 5, 2,
            "Message contains a bare CR or LF; lines must end with CRLF");
    static final Reply LINE_TOO_LONG = Reply.of(550, 5, 5, 2, "Message contains a line that is too long");
    static final Reply TOO_MANY_HOPS = Reply.of(554, 5, 4, 6, "Too many hops: mail loop?");
    static final Reply LOCAL_ERROR = Reply.of(451, 4, 3, 0, "Local error in processing, try again later");

    // The command line itself.
    static final Reply LINE_TOO_LONG_COMMAND = Reply.of(500, 5, 5, 2, "Line too long");
    static final Reply BARE_LF_COMMAND = Reply.of(500, 5, 5, 2, "Bare LF not allowed; end lines with CRLF");

    // Ending the session.
    static final Reply TIMEOUT = Reply.of(421, 4, 4, 2, "Timeout exceeded, closing connection");
    static final Reply SHUTDOWN = Reply.of(421, 4, 3, 2, "Service shutting down, closing connection");
    static final Reply TOO_MANY_ERRORS = Reply.of(421, 4, 7, 0, "Too many errors, closing connection");

    // Other verbs.
    static final Reply EXPN = Reply.of(502, 5, 5, 1, "EXPN not available");
    static final Reply HELP = Reply.of(214, 2, 0, 0,
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH; see RFC 5321");
    /** RFC 5321 §3.5.3: 252 when we will not say whether a user exists. */
    static final Reply CANNOT_VRFY = Reply.of(252, 2, 5, 0,
            "Cannot VRFY user, but will accept message and attempt delivery");
    static final Reply BAD_ADDRESS = Reply.of(501, 5, 1, 3, "Bad address syntax");
    static final Reply NO_STARTTLS = Reply.of(502, 5, 5, 1, "STARTTLS not available");
    static final Reply TLS_ACTIVE = Reply.of(503, 5, 5, 1, "TLS already active");
    static final Reply STARTTLS_IN_TRANSACTION = Reply.of(503, 5, 5, 1, "STARTTLS not allowed during a mail transaction");
    static final Reply READY_FOR_TLS = Reply.of(220, 2, 0, 0, "Ready to start TLS");
}
