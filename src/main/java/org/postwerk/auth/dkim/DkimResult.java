package org.postwerk.auth.dkim;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of verifying one DKIM-Signature field, with what is needed to report it.
 *
 * @param result    the RFC 8601 §2.7.1 result
 * @param domain    d= (lower case), or empty when the field was too broken to tell
 * @param selector  s=, or empty
 * @param identity  i= (default {@code @d}), or empty
 * @param signature the start of b= (at least 8 characters when available; RFC 6008 header.b)
 * @param reason    why it did not pass (empty for pass), for logs and the reason= of Authentication-Results
 */
public record DkimResult(Result result, String domain, String selector, String identity, String signature,
                         String reason) {

    /** RFC 8601 §2.7.1 result names; {@code NONE} is never produced per signature (no signature means no result). */
    public enum Result { PASS, FAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR, NONE;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How many characters of b= to keep: RFC 6008 §4 asks for at least 8. */
    static final int SIGNATURE_PREFIX = 12;

    public boolean passed() {
        return result == Result.PASS;
    }

    /**
     * The DKIM part of an Authentication-Results field (RFC 8601 §2.7.1, RFC 6008 §4), e.g.
     * {@code dkim=pass header.d=example.org header.s=sel header.b=abcdefgh}; failures add {@code reason="..."}.
     */
    public String authenticationResults() {
        StringBuilder s = new StringBuilder("dkim=").append(result.keyword());
        if (!reason.isEmpty()) {
            s.append(" reason=").append(quoted(reason));
        }
        if (!domain.isEmpty()) {
            s.append(" header.d=").append(value(domain));
        }
        if (!selector.isEmpty()) {
            s.append(" header.s=").append(value(selector));
        }
        if (!signature.isEmpty()) {
            s.append(" header.b=").append(value(signature.substring(0, Math.min(8, signature.length()))));
        }
        return s.toString();
    }

    /**
     * The DKIM results of a message for Authentication-Results, one {@code dkim=...} item per signature, or
     * {@code dkim=none} when the message has no signature (RFC 8601 §2.7.1). Join them with {@code ";"}.
     */
    public static List<String> authenticationResults(List<DkimResult> results) {
        if (results.isEmpty()) {
            return List.of("dkim=none");
        }
        return results.stream().map(DkimResult::authenticationResults).toList();
    }

    /** A MIME token is written as is; anything else (e.g. base64 with '/', '+' or '=') as a quoted-string. */
    private static String value(String v) {
        return v.matches("[A-Za-z0-9!#$%&'*+.^_`{|}~-]+") ? v : quoted(v);
    }

    private static String quoted(String v) {
        return "\"" + v.replaceAll("[^\\x20-\\x7e]", "?").replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
