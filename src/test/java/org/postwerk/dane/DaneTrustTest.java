package org.postwerk.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postwerk.testkit.TestCertificates;

/** Matching a chain against TLSA records (RFC 6698 §2.1, RFC 7672 §3), without sockets: the rules as a table. */
class DaneTrustTest {
    static final TestCertificates CA = TestCertificates.ca("Trust Test CA");
    static final TestCertificates OTHER_CA = TestCertificates.ca("Other CA");
    static final TestCertificates LEAF = CA.issue("mx.example.test");

    static Tlsa tlsa(int usage, int selector, int matching, X509Certificate cert) throws Exception {
        byte[] selected = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        return new Tlsa(usage, selector, matching, Tlsa.digest(matching, selected));
    }

    static void check(Tlsa record, X509Certificate... chain) throws CertificateException {
        new DaneTrust(List.of(record), Set.of("mx.example.test")).check(chain);
    }

    @Test
    void everySelectorAndMatchingTypeOfDaneEe() throws Exception {
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                Tlsa r = tlsa(3, selector, matching, LEAF.certificate());
                assertThatCode(() -> check(r, LEAF.certificate(), CA.certificate())).doesNotThrowAnyException();
                assertThat(r.matches(CA.certificate())).as(r.presentation()).isFalse();
            }
        }
    }

    @Test
    void daneEeIgnoresNameAndDates() throws Exception {
        Instant now = Instant.now();
        TestCertificates expired = CA.issue("elsewhere.test", now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(8)));
        assertThatCode(() -> check(tlsa(3, 1, 1, expired.certificate()), expired.certificate()))
                .doesNotThrowAnyException();
    }

    @Test
    void daneTaNeedsTheChainToLeadToTheAnchorAndTheRightName() throws Exception {
        Tlsa ta = tlsa(2, 1, 1, CA.certificate());
        assertThatCode(() -> check(ta, LEAF.certificate(), CA.certificate())).doesNotThrowAnyException();
        // The anchor must be in the chain the server sends (RFC 7671 §5.2.2).
        assertThatThrownBy(() -> check(ta, LEAF.certificate())).isInstanceOf(DaneTrust.NoMatch.class);
        // A leaf of another CA, with our CA appended, does not chain to it.
        TestCertificates foreign = OTHER_CA.issue("mx.example.test");
        assertThatThrownBy(() -> check(ta, foreign.certificate(), CA.certificate()))
                .hasMessageContaining("chain does not validate");
        TestCertificates wrongName = CA.issue("other.example.test");
        assertThatThrownBy(() -> check(ta, wrongName.certificate(), CA.certificate()))
                .hasMessageContaining("No name matching");
        TestCertificates wildcard = CA.issueFor("*.example.test");
        assertThatCode(() -> check(ta, wildcard.certificate(), CA.certificate())).doesNotThrowAnyException();
        Instant now = Instant.now();
        TestCertificates expired = CA.issue("mx.example.test", now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(8)));
        assertThatThrownBy(() -> check(ta, expired.certificate(), CA.certificate()))
                .hasMessageContaining("chain does not validate");
    }

    @Test
    void pkixUsagesAndUnknownParametersAreUnusable() throws Exception {
        assertThat(tlsa(0, 0, 1, CA.certificate()).usable()).isFalse();
        assertThat(tlsa(1, 1, 1, LEAF.certificate()).usable()).isFalse();
        assertThat(new Tlsa(3, 2, 1, new byte[32]).usable()).isFalse();
        assertThat(new Tlsa(3, 1, 3, new byte[32]).usable()).isFalse();
        assertThat(tlsa(2, 0, 2, CA.certificate()).usable()).isTrue();
        assertThatThrownBy(() -> new DaneTrust(List.of(tlsa(1, 1, 1, LEAF.certificate())), Set.of("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWrongRecordIsNoMatch() throws Exception {
        assertThatThrownBy(() -> check(tlsa(3, 1, 1, CA.issue("mx.example.test").certificate()), LEAF.certificate()))
                .isInstanceOf(DaneTrust.NoMatch.class);
        assertThat(tlsa(3, 1, 1, LEAF.certificate()).presentation()).matches("3 1 1 [0-9a-f]{64}");
    }
}
