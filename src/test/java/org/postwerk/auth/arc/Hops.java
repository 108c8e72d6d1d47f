package org.postwerk.auth.arc;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** A small world of forwarders for ARC tests: keys published in a zone, a message, and a hop = validate + seal. */
final class Hops {
    private static final KeyPair RSA = DkimKeys.generate(Algorithm.KeyType.RSA);
    private static final KeyPair ED = DkimKeys.generate(Algorithm.KeyType.ED25519);

    static final String MESSAGE = """
            From: Alice <alice@example.org>
            To: list@lists.example.net
            Subject: Lunch
            Date: Sun, 29 Nov 2026 03:00:00 +0000
            Message-ID: <1@example.org>

            Shall we?
            """.replace("\n", "\r\n");

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T04:00:00Z"));
    final ZoneResolver zone = new ZoneResolver()
            .add(DkimKeys.zoneLine("lists.example.net", "rsa", RSA.getPublic()))
            .add(DkimKeys.zoneLine("lists.example.net", "ed", ED.getPublic()))
            .add(DkimKeys.zoneLine("relay.example.com", "rsa", RSA.getPublic()));
    final ArcVerifier verifier = new ArcVerifier(zone, clock);

    static DkimSigner.Key key(String domain, Algorithm.KeyType type) {
        return type == Algorithm.KeyType.RSA
                ? new DkimSigner.Key(domain, "rsa", Algorithm.RSA_SHA256, RSA.getPrivate())
                : new DkimSigner.Key(domain, "ed", Algorithm.ED25519_SHA256, ED.getPrivate());
    }

    static DkimSigner.Key list() {
        return key("lists.example.net", Algorithm.KeyType.RSA);
    }

    static DkimSigner.Key relay() {
        return key("relay.example.com", Algorithm.KeyType.RSA);
    }

    ArcResult validate(String message, int chunk) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        ArcVerifier.Check check = verifier.begin();
        for (int i = 0; i < bytes.length; i += chunk) {
            check.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return check.finish();
    }

    ArcResult validate(String message) {
        return validate(message, Math.max(1, message.length()));
    }

    /** Seals a message as the key's domain would, given what it validated, and returns the forwarded message. */
    String seal(String message, DkimSigner.Key key, String authResults, ArcResult incoming) {
        ArcSealer sealer = new ArcSealer(List.of(key), clock);
        return sealer.seal(message.getBytes(StandardCharsets.ISO_8859_1), key.domain(), authResults, incoming)
                + message;
    }

    /** Validates, then seals. */
    String hop(String message, DkimSigner.Key key) {
        return seal(message, key, "spf=pass smtp.mailfrom=example.org", validate(message));
    }
}
