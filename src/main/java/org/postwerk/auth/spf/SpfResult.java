package org.postwerk.auth.spf;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The outcome of one SPF check (RFC 7208 §2.6) with what is needed to report it: which identity was checked,
 * the domain and sender, and for {@code fail} the domain's explanation (§6.2) when it published one.
 *
 * @param code        the result
 * @param identity    MAIL FROM, or HELO (also when the reverse-path is null: the HELO domain is what is checked)
 * @param domain      the domain whose policy was evaluated (lower case), or the raw identity if it is unusable
 * @param sender      the sender checked: {@code local@domain}, or {@code postmaster@helo} (§2.4)
 * @param client      the SMTP client address
 * @param helo        the HELO/EHLO argument as given
 * @param receiver    the receiving host name
 * @param explanation the {@code exp=} text for a fail, if the domain published one and it could be fetched
 * @param problem     for temperror/permerror, what went wrong (for logs and the Received-SPF comment)
 */
public record SpfResult(Code code, Identity identity, String domain, String sender, InetAddress client, String helo,
                        String receiver, Optional<String> explanation, Optional<String> problem) {

    /** RFC 7208 §2.6. */
    public enum Code { NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        /** The keyword used in headers (RFC 7208 §9.1, RFC 8601 §2.7.2). */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Identity { MAILFROM, HELO;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The value of a {@code Received-SPF:} header field (RFC 7208 §9.1), without the field name:
     * {@code pass (mx.example.org: domain of a@example.com designates 192.0.2.1 as permitted sender)
     * client-ip=192.0.2.1; envelope-from="a@example.com"; helo=mail.example.com; receiver=mx.example.org;
     * identity=mailfrom}, plus {@code problem=} for errors. Values from the client are quoted as key-value-pair allows (RFC 5322 quoted-string).
     */
    public String receivedSpf() {
        return code.keyword() + " (" + comment() + ")"
                + " client-ip=" + Network.text(client) + ";"
                + " envelope-from=" + quote(sender) + ";"
                + " helo=" + quote(helo) + ";"
                + " receiver=" + quote(receiver) + ";"
                + " identity=" + identity.keyword()
                + problem.map(p -> "; problem=" + quote(p)).orElse("");
    }

    /** The SPF part of an Authentication-Results header (RFC 8601 §2.7.2): {@code spf=pass smtp.mailfrom=d}. */
    public String authenticationResults() {
        String property = identity == Identity.HELO ? "smtp.helo" : "smtp.mailfrom";
        return "spf=" + code.keyword() + " " + property + "=" + quote(identity == Identity.HELO ? helo : domain);
    }

    private String comment() {
        String ip = Network.text(client);
        String text = switch (code) {
            case PASS -> "domain of " + sender + " designates " + ip + " as permitted sender";
            case FAIL -> "domain of " + sender + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> "domain of transitioning " + sender + " does not designate " + ip
                    + " as permitted sender";
            case NEUTRAL -> ip + " is neither permitted nor denied by domain of " + sender;
            case NONE -> "domain of " + sender + " does not publish an SPF record";
            case TEMPERROR -> "temporary error checking " + sender + problem.map(p -> ": " + p).orElse("");
            case PERMERROR -> "permanent error in the SPF record of " + sender + problem.map(p -> ": " + p).orElse("");
        };
        return receiver + ": " + commentSafe(text);
    }

    /** A comment may not hold unbalanced parentheses or backslashes, nor anything but printable ASCII. */
    private static String commentSafe(String text) {
        return text.replaceAll("[^\\x20-\\x7e]|[()\\\\]", "?");
    }

    /** A dot-atom is written as is; anything else as a quoted-string (RFC 5322 §3.2.4). */
    private static String quote(String value) {
        if (value.matches("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")) {
            return value;
        }
        return "\"" + value.replaceAll("[^\\x20-\\x7e]", "?").replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
