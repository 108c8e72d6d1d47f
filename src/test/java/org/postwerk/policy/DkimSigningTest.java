package org.postwerk.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.io.SpillBuffer;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;

/** Signing finds the keys of a Unicode domain under its A-label, as {@code dkim keygen} writes them. */
class DkimSigningTest {
    @TempDir
    Path data;

    private String sign(DkimSigning signing, Mailbox sender) throws Exception {
        Envelope envelope = new Envelope("id", Optional.of(sender), List.of(new Recipient(new Mailbox("b", "other.example"),
                Set.of(), null)), BodyType.EIGHT_BIT_MIME, true, null, null, Instant.now(), "a", "127.0.0.1");
        try (SpillBuffer content = new SpillBuffer(data, 1024)) {
            content.write("From: a@bücher.example\r\nSubject: s\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
            return signing.sign(envelope, content);
        }
    }

    @Test
    void aUnicodeSenderDomainIsSignedWithTheKeysOfItsALabel() throws Exception {
        Path key = new DkimKeys(data).path("xn--bcher-kva.example", "s1");
        Files.createDirectories(key.getParent());
        Files.write(key, DkimKeys.pem(DkimKeys.generate(Algorithm.KeyType.ED25519)));
        DkimSigning signing = new DkimSigning(new DkimKeys(data), Clock.systemUTC());
        assertThat(sign(signing, new Mailbox("a", "Bücher.example"))).contains("d=xn--bcher-kva.example");
        assertThat(sign(signing, new Mailbox("a", "XN--BCHER-KVA.example"))).contains("d=xn--bcher-kva.example");
    }
}
