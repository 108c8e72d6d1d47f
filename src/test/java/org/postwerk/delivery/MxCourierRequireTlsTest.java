package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Envelope;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.testkit.TestTls;

/**
 * REQUIRETLS as a client (RFC 8689 §4.2) and {@code TLS-Required: No} (§4.2.2), on the real peers of
 * {@link MxCourierStsTest} (its fixture: MTA-STS policy over HTTPS, MX a STARTTLS sink with test CA
 * certificates). Each test says whether the mail went (with the parameter), waited or bounced with 5.7.30.
 */
class MxCourierRequireTlsTest {
    @TempDir
    Path dir;
    final MxCourierStsTest peers = new MxCourierStsTest();

    MxCourierRequireTlsTest() throws IOException {}

    @BeforeEach
    void share() {
        peers.dir = dir;
    }

    @AfterEach
    void stop() throws IOException {
        peers.stop();
    }

    Outcome send(TlsRequirement asked) throws IOException {
        return peers.send(MxCourierTest.envelope(false, "bob@example.test").withTls(asked));
    }

    void mxOffersRequireTls() {
        List<String> ext = new ArrayList<>(peers.sink.extensions);
        ext.add("REQUIRETLS");
        peers.sink.extensions = ext;
    }

    @Test
    void deliversWithTheParameterToAnMxThatOffersItUnderAnEnforcedPolicy() throws IOException {
        mxOffersRequireTls();
        peers.mxCertificate(MxCourierStsTest.CA.issue("mx.example.test"));
        peers.courier("1", MxCourierStsTest.ENFORCE);
        assertThat(send(TlsRequirement.REQUIRED)).isInstanceOf(Outcome.Delivered.class);
        assertThat(peers.sink.messages()).singleElement().satisfies(m -> {
            assertThat(m.tls()).isTrue();
            assertThat(m.mail()).endsWith(" REQUIRETLS");
        });
        // Mail without the requirement to the same MX does not carry the parameter.
        assertThat(send(TlsRequirement.POLICY)).isInstanceOf(Outcome.Delivered.class);
        assertThat(peers.sink.messages().get(1).mail()).doesNotContain("REQUIRETLS");
    }

    @Test
    void bouncesWith5730WhenTheMxDoesNotOfferRequireTls() throws IOException {
        peers.mxCertificate(MxCourierStsTest.CA.issue("mx.example.test"));
        peers.courier("1", MxCourierStsTest.ENFORCE);
        Outcome o = send(TlsRequirement.REQUIRED);
        assertThat(o).isInstanceOf(Outcome.Failed.class);
        assertThat(o.reply().code()).isEqualTo(550);
        assertThat(o.reply().status()).hasToString("5.7.30");
        assertThat(o.hop().tls()).isNotNull(); // it did get that far: TLS with a valid certificate
        assertThat(peers.sink.messages()).isEmpty();
    }

    @Test
    void bouncesWith5730WhenNoPolicyAuthenticatesTheMx() throws IOException {
        mxOffersRequireTls();
        peers.sink.tls = new TestTls("mx.example.test").server;
        peers.courier(); // no _mta-sts record
        Outcome o = send(TlsRequirement.REQUIRED);
        assertThat(o).isInstanceOf(Outcome.Failed.class);
        assertThat(o.reply().status()).hasToString("5.7.30");
        assertThat(peers.sink.connections()).isZero();
    }

    @Test
    void aTestingPolicyIsHeldToSoABadCertificateWaits() throws IOException {
        mxOffersRequireTls();
        peers.mxCertificate(MxCourierStsTest.CA.issue("other.example.test"));
        peers.courier("1", MxCourierStsTest.TESTING);
        Outcome o = send(TlsRequirement.REQUIRED);
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply().status()).hasToString("4.7.5");
        assertThat(peers.sink.messages()).isEmpty();
        // The same message without REQUIRETLS goes, as testing means.
        assertThat(send(TlsRequirement.POLICY)).isInstanceOf(Outcome.Delivered.class);
    }

    @Test
    void tlsRequiredNoDeliversDespiteAnEnforceFailure() throws IOException {
        peers.mxCertificate(MxCourierStsTest.CA.issue("other.example.test"));
        peers.courier("1", MxCourierStsTest.ENFORCE);
        assertThat(send(TlsRequirement.POLICY)).isInstanceOf(Outcome.Deferred.class);
        assertThat(send(TlsRequirement.NOT_REQUIRED)).isInstanceOf(Outcome.Delivered.class);
        // TLS is still tried (opportunistically): only the policy was set aside.
        assertThat(peers.sink.messages()).singleElement().satisfies(m -> assertThat(m.tls()).isTrue());
        assertThat(peers.results).containsExactly(
                "failure example.test mx.example.test certificate-host-mismatch");
    }

    @Test
    void anExplicitRouteMustVerifyTheCertificateForRequireTls() throws IOException {
        mxOffersRequireTls();
        peers.sink.tls = new TestTls("mx.example.test").server; // self-signed: fine for opportunistic only
        peers.courier(new RouteSettings("example.test", "127.0.0.1", peers.sink.port(), false, false,
                Optional.empty(), Optional.empty()));
        assertThat(send(TlsRequirement.REQUIRED)).isInstanceOf(Outcome.Deferred.class);
        assertThat(send(TlsRequirement.POLICY)).isInstanceOf(Outcome.Delivered.class);
        assertThat(peers.sink.messages()).singleElement().satisfies(m -> assertThat(m.mail())
                .doesNotContain("REQUIRETLS"));
    }
}
