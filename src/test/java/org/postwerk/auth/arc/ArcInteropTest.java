package org.postwerk.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/**
 * Interoperability. dkimpy (Debian python3-dkim 1.x) validated a set Postwerk sealed and added its own i=2
 * (resources {@code arc/dkimpy-sealed-i2.eml}, key in {@code arc/dkimpy.zone}): we must validate the result.
 * Also one scenario of the open ARC test suite ({@code arc-draft-sign-tests.yml}, "headers_field_unfold", as shipped
 * with Mail::DKIM): a set sealed by another implementation with a 1024-bit key. This checks our AMS hashing
 * against someone else's, which our round trips cannot. Open question: the suite's ARC-Seal does not verify here
 * (neither with any white-space variant of its AAR nor without the AAR); the suite dates from a draft, and the
 * AAR bytes its generator signed are not in the file. Our seal follows RFC 8617 §5.1.1 and round-trips.
 */
class ArcInteropTest {
    private static final String KEY = "dummy._domainkey.example.org. IN TXT \"v=DKIM1; k=rsa; "
            + "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzC"
            + "Nb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB\"";

    private static final String SEALED = """
            ARC-Seal: a=rsa-sha256;
              b=Pg8Yyk1AgYy2l+kb6iy+mY106AXm5EdgDwJhLP7+XyT6yaS38ZUho+bmgSDorV+LyARH4A
              967A/oWMX3coyC7pAGyI+hA3+JifL7P3/aIVP4ooRJ/WUgT79snPuulxE15jg6FgQE68ObA1
              /hy77BxdbD9EQxFGNcr/wCKQoeKJ8=; cv=none; d=example.org; i=1; s=dummy;
              t=12345
            ARC-Message-Signature: a=rsa-sha256;
              b=XWeK9DxQ8MUm+Me5GLZ5lQ3L49RdoFv7m7VlrAkKb3/C7jjw33TrTY0KYI5lkowvEGnAtm
              5lAqLz67FxA/VrJc2JiYFQR/mBoJLLz/hh9y77byYmSO9tLfIDe2A83+6QsXHO3K6PxTz7+v
              rCB4wHD9GADeUKVfHzmpZhFuYOa88=;
              bh=KWSe46TZKCcDbH4klJPo+tjk5LWJnVRlP5pvjXFZYLQ=; c=relaxed/relaxed;
              d=example.org; h=mime-version:date:from:to:subject;
              i=1; s=dummy; t=12345
            ARC-Authentication-Results: i=1; lists.example.org; arc=none;
              spf=pass smtp.mfrom=jqd@d1.example;
              dkim=pass (1024-bit key) header.i=@d1.example;
              dmarc=pass
            Authentication-Results: lists.example.org; arc=none;
              spf=pass smtp.mfrom=jqd@d1.example;
              dkim=pass (1024-bit key) header.i=@d1.example;
              dmarc=pass
            MIME-Version: 1.0
            Return-Path: <jqd@d1.example.org>
            Received: by 10.157.14.6 with HTTP; Tue, 3 Jan 2017 12:22:54 -0800 (PST)
            Message-ID: <54B84785.1060301@d1.example.org>
            Date: Thu, 14 Jan 2015 15:00:01 -0800
            From: John Q Doe
              <jqd@d1.example.org>
            To: arc@dmarc.org
            Subject: Example 1

            Hey gang,
            This is a test message.
            --J.
            """.replace("\n", "\r\n");

    private final ArcVerifier verifier = new ArcVerifier(new ZoneResolver(KEY),
            new ManualClock(Instant.parse("2026-11-29T04:00:00Z")));

    private static String resource(String name) {
        try (java.io.InputStream in = ArcInteropTest.class.getResourceAsStream("/arc/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return text.replace("\r\n", "\n").replace("\n", "\r\n"); // CRLF whatever git did to the file
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aChainDkimpyExtendedValidates() {
        ArcVerifier dkimpy = new ArcVerifier(new ZoneResolver(resource("dkimpy.zone")),
                new ManualClock(Instant.parse("2026-11-29T04:00:00Z")));
        String message = resource("dkimpy-sealed-i2.eml");

        assertThat(check(dkimpy, message)).isEqualTo(ArcResult.pass(2, 0));
        assertThat(check(dkimpy, message.replace("i=2; lists.example.net; arc=pass;", "i=2; lists.example.net; arc=fail;")).reason())
                .isEqualTo("AS i=2: seal did not verify");
    }

    private static ArcResult check(ArcVerifier verifier, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        ArcVerifier.Check check = verifier.begin();
        check.update(bytes, 0, bytes.length);
        return check.finish();
    }

    private ArcResult validate(String message) {
        return check(verifier, message);
    }

    @Test
    void anAmsSealedElsewhereValidates() {
        // The AMS is checked before any seal (RFC 8617 §5.2 step 5), so a reason about the AS means the AMS passed.
        assertThat(validate(SEALED).reason()).isEqualTo("AS i=1: seal did not verify");
    }

    @Test
    void andFailsWhenChanged() {
        assertThat(validate(SEALED.replace("Subject: Example 1", "Subject: Example 2")).reason())
                .isEqualTo("AMS i=1: fail signature did not verify");
        assertThat(validate(SEALED.replace("Hey gang", "Hey all")).reason())
                .isEqualTo("AMS i=1: fail body hash mismatch");
    }
}
