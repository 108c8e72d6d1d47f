package org.postwerk.auth.arc;

import java.util.Locale;
import org.postwerk.auth.AuthResults;

/**
 * The outcome of validating a message's ARC chain (RFC 8617 §4.4, §5.2).
 *
 * @param status     none (no ARC header field), pass or fail
 * @param instances  the highest instance number seen (0 for none); a sealer adds instance {@code instances + 1}
 * @param oldestPass RFC 8617 §5.2 step 6: 0 when every AMS validates, else the lowest instance from which all
 *                   newer AMSs validate; meaningful for pass only
 * @param reason     why it is not a pass (empty for pass and none), for logs and {@code reason=}
 */
public record ArcResult(Status status, int instances, int oldestPass, String reason) {

    /** The chain validation status, which is also the cv= value a sealer writes (RFC 8617 §4.1.3). */
    public enum Status { NONE, PASS, FAIL;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final ArcResult NONE = new ArcResult(Status.NONE, 0, 0, "");

    static ArcResult pass(int instances, int oldestPass) {
        return new ArcResult(Status.PASS, instances, oldestPass, "");
    }

    static ArcResult fail(int instances, String reason) {
        return new ArcResult(Status.FAIL, instances, 0, reason);
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    /**
     * The ARC part of an Authentication-Results field (RFC 8617 §10.1, RFC 8601): {@code arc=none},
     * {@code arc=pass (i=2) header.oldest-pass=0} or {@code arc=fail (i=2) reason="..."}.
     */
    public String authenticationResults() {
        StringBuilder s = new StringBuilder("arc=").append(status.keyword());
        if (instances > 0) {
            s.append(" (i=").append(instances).append(')');
        }
        if (status == Status.PASS) {
            s.append(" header.oldest-pass=").append(oldestPass);
        }
        if (!reason.isEmpty()) {
            s.append(" reason=\"").append(reason.replaceAll("[^\\x20-\\x7e]", "?").replace("\\", "\\\\")
                    .replace("\"", "\\\"")).append('"');
        }
        return s.toString();
    }

    /** As {@link #authenticationResults()}, plus {@code smtp.remote-ip=} (RFC 8617 §10.1) of the connecting client. */
    public String authenticationResults(String remoteIp) {
        return authenticationResults() + " smtp.remote-ip=" + remoteIp;
    }

    /**
     * The same as an {@link AuthResults.Resinfo} for {@link AuthResults}: {@code arc=pass (i=2)
     * header.oldest-pass=0}; a failure carries its reason in the comment; add {@code smtp.remote-ip} with
     * {@code .with("smtp", "remote-ip", ip)}.
     */
    public AuthResults.Resinfo resinfo() {
        AuthResults.Resinfo r = AuthResults.Resinfo.of("arc", status.keyword());
        String comment = (instances > 0 ? "i=" + instances : "") + (reason.isEmpty() ? "" : (instances > 0 ? ": " : "")
                + reason.replaceAll("[^\\x20-\\x7e]", "?"));
        if (!comment.isEmpty()) {
            r = r.withComment(comment);
        }
        return status == Status.PASS ? r.with("header", "oldest-pass", Integer.toString(oldestPass)) : r;
    }
}
