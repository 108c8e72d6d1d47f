package org.postwerk.milter;

import java.util.ArrayList;
import java.util.List;
import org.postwerk.smtp.EnhancedStatus;
import org.postwerk.smtp.Reply;

/**
 * The SMTP replies a milter gives: the fixed ones for SMFIR_REJECT and SMFIR_TEMPFAIL (Postfix's texts), and
 * SMFIR_REPLYCODE's own text checked. A milter's reply must be 4xx or 5xx: a 2xx or 3xx there would turn a refusal
 * into an acceptance the milter never meant (libmilter's smfi_setreply refuses them too), so it is a protocol error
 * and the milter's default action applies. The enhanced status (RFC 3463) must match the reply's class; one is
 * added when the milter gave none (RFC 2034 §3: every reply of ours carries one).
 */
final class ReplyCodes {
    static final Reply REJECT = Reply.of(550, 5, 7, 1, "Command rejected");
    static final Reply TEMPFAIL = Reply.of(451, 4, 7, 1, "Service unavailable - try again later");
    static final Reply SHUTDOWN = Reply.of(421, 4, 7, 0, "Server closing connection");
    private static final int MAX_LINES = 10;
    private static final int MAX_LINE = 400;

    private ReplyCodes() {}

    /** The reply in an SMFIR_REPLYCODE packet ({@code "550 5.7.1 text"}, lines joined by CRLF), or null if bad. */
    static Reply parse(String text) {
        String[] raw = text.split("\r?\n");
        if (raw.length == 0 || raw.length > MAX_LINES || raw[0].length() < 3) {
            return null;
        }
        int code;
        try {
            code = Integer.parseInt(raw[0].substring(0, 3));
        } catch (NumberFormatException e) {
            return null;
        }
        if (code < 400 || code > 599) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        EnhancedStatus status = null;
        for (String line : raw) {
            if (line.length() < 3 || !line.startsWith(raw[0].substring(0, 3))
                    || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
                return null;
            }
            String rest = line.length() > 4 ? line.substring(4) : "";
            EnhancedStatus s = EnhancedStatus.parse(rest, code / 100);
            if (s != null) {
                status = status == null ? s : status;
                rest = rest.substring(s.toString().length()).strip();
            } else if (rest.matches("\\d\\.\\d{1,3}\\.\\d{1,3}\\b.*")) {
                rest = rest.replaceFirst("^\\S+\\s*", ""); // a status of the wrong class: ours replaces it
            }
            if (rest.length() > MAX_LINE || !printable(rest)) {
                return null;
            }
            lines.add(rest.isEmpty() ? " " : rest);
        }
        if (status == null) {
            status = code / 100 == 4 ? EnhancedStatus.of(4, 7, 1) : EnhancedStatus.of(5, 7, 1);
        }
        return new Reply(code, status, lines);
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}
