package org.postwerk.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DkimSignatureTest {
    private static final String GOOD = "v=1; a=rsa-sha256; d=Example.org; s=sel; h=From:To:from; bh=AAAA; b=QUJD\r\n RA==";

    @Test
    void parsesTagsWithDefaults() {
        DkimSignature s = ((Parsed.Ok<DkimSignature>) DkimSignature.parse(GOOD)).value();

        assertThat(s.algorithm()).isEqualTo(Algorithm.RSA_SHA256);
        assertThat(s.domain()).isEqualTo("example.org");
        assertThat(s.selector()).isEqualTo("sel");
        assertThat(s.signedHeaders()).containsExactly("From", "To", "from");
        assertThat(s.identity()).isEqualTo("@example.org");
        assertThat(s.headerCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.bodyCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.signature()).containsExactly('A', 'B', 'C', 'D');
        assertThat(s.signatureText()).isEqualTo("QUJDRA==");
        assertThat(s.length()).isEmpty();
        assertThat(s.timestamp()).isEmpty();
    }

    @Test
    void parsesOptionalTags() {
        DkimSignature s = ((Parsed.Ok<DkimSignature>) DkimSignature.parse("v=1; a=ed25519-sha256; c=relaxed;"
                + " d=example.org; s=sel; h=from : subject; bh=AAAA; b=QUJD; i=joe@mail.example.org; l=10;"
                + " q=dns/txt; t=100; x=200; z=From:joe;")).value();

        assertThat(s.headerCanon()).isEqualTo(Canonicalization.RELAXED);
        assertThat(s.bodyCanon()).isEqualTo(Canonicalization.SIMPLE);
        assertThat(s.signedHeaders()).containsExactly("from", "subject");
        assertThat(s.identity()).isEqualTo("joe@mail.example.org");
        assertThat(s.length()).hasValue(10);
        assertThat(s.timestamp()).contains(Instant.ofEpochSecond(100));
        assertThat(s.expiry()).contains(Instant.ofEpochSecond(200));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD|missing tag v=",
        "v=2; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD|unsupported version v=2",
        "v=1; a=rsa-md5; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD|unknown algorithm a=rsa-md5",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=to; bh=AAAA; b=QUJD|h= does not include From",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD; i=a@example.com|i= domain example.com is not within d=example.org",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD; v=1|duplicate tag v",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD; t=200; x=100|x= is before t=",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD; l=ten|bad body length l=ten",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD; c=fancy|unknown canonicalization c=fancy",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=QUJD; q=http|unsupported query method q=http",
        "v=1; a=rsa-sha256; d=example.org; s=sel; h=from; bh=AAAA; b=!!!|b= is not base64",
        "v=1; a=rsa-sha256; d=example..org; s=sel; h=from; bh=AAAA; b=QUJD|bad domain d=example..org",
        "v=1; a=rsa-sha256; ; d=example.org|empty tag-spec",
        "v=1; a=rsa-sha256; nonsense|tag without '=': nonsense",
    })
    void rejectsWithAReason(String value, String reason) {
        assertThat(DkimSignature.parse(value)).isEqualTo(new Parsed.Invalid<DkimSignature>(reason));
    }

    @Test
    void keyRecords() {
        DkimKeyRecord rsa = ((Parsed.Ok<DkimKeyRecord>) DkimKeyRecord.parse("v=DKIM1; p=QUJD; t=y:s; h=sha256; s=email"))
                .value();
        assertThat(rsa.keyType()).isEqualTo(Algorithm.KeyType.RSA);
        assertThat(rsa.testing()).isTrue();
        assertThat(rsa.strict()).isTrue();
        assertThat(rsa.allowsSha256()).isTrue();
        assertThat(rsa.allowsEmail()).isTrue();
        assertThat(rsa.revoked()).isFalse();

        DkimKeyRecord revoked = ((Parsed.Ok<DkimKeyRecord>) DkimKeyRecord.parse("k=ed25519; p=")).value();
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.keyType()).isEqualTo(Algorithm.KeyType.ED25519);

        DkimKeyRecord sha1Only = ((Parsed.Ok<DkimKeyRecord>) DkimKeyRecord.parse("h=sha1; s=other; p=QUJD")).value();
        assertThat(sha1Only.allowsSha256()).isFalse();
        assertThat(sha1Only.allowsEmail()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "v=DKIM2; p=QUJD|v= must be DKIM1 and come first",
        "k=rsa; v=DKIM1; p=QUJD|v= must be DKIM1 and come first",
        "k=dsa; p=QUJD|unknown key type k=dsa",
        "v=DKIM1; k=rsa|missing p=",
        "p=%%%|p= is not base64",
    })
    void rejectsBadKeyRecords(String value, String reason) {
        assertThat(DkimKeyRecord.parse(value)).isEqualTo(new Parsed.Invalid<DkimKeyRecord>(reason));
    }
}
