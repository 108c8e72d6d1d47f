package org.postwerk.sts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.postwerk.config.MtaStsConfig;

/**
 * The policy this server publishes for each local domain (RFC 8461 §3.2) and the TXT record that announces it
 * (§3.1). The id is derived from the policy text, so it changes exactly when the policy does (§3.1: senders
 * fetch again when the id changes) and needs no state.
 */
public record PublishedPolicy(StsPolicy policy) {
    public static PublishedPolicy of(MtaStsConfig config, String hostname) {
        StsPolicy.Mode mode = StsPolicy.Mode.valueOf(config.serveMode().name());
        return new PublishedPolicy(new StsPolicy(mode, mode == StsPolicy.Mode.NONE ? java.util.List.of()
                : config.serveMx(hostname), config.serveMaxAge()));
    }

    public String text() {
        return policy.text();
    }

    /** 32 hex digits of the SHA-256 of the text: within {@code 1*32(ALPHA / DIGIT)}. */
    public String id() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The TXT record's text for {@code _mta-sts.DOMAIN}. */
    public String record() {
        return "v=STSv1; id=" + id();
    }
}
