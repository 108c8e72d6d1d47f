package org.postwerk.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postwerk.auth.dkim.DkimResult.Result;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** Signatures written by hand, to reach the rules a well-behaved signer never breaks. */
class DkimVerifierTest {
    private static final KeyPair RSA = DkimKeys.generate(Algorithm.KeyType.RSA);
    private static final KeyPair ED = DkimKeys.generate(Algorithm.KeyType.ED25519);

    private final ZoneResolver zone = new ZoneResolver();
    private final DkimVerifier verifier = new DkimVerifier(zone, new ManualClock(Instant.parse("2026-11-29T03:00:00Z")));

    DkimVerifierTest() {
        Messages.publish(zone, "example.org", "rsa", RSA);
        Messages.publish(zone, "example.org", "ed", ED);
    }

    @Test
    void handSignedMessagePasses() {
        assertThat(verify(sign("a=ed25519-sha256; s=ed; h=from:subject", ED.getPrivate(), Messages.SIMPLE)))
                .isEqualTo(pass());
    }

    @Test
    void noSignatureGivesNoResults() {
        List<DkimResult> results = Messages.verify(verifier, Messages.bytes(Messages.SIMPLE));

        assertThat(results).isEmpty();
        assertThat(DkimResult.authenticationResults(results)).containsExactly("dkim=none");
    }

    @Test
    void bodyLengthLimitLetsContentBeAppendedButNotExceedTheBody() {
        String signed = sign("a=ed25519-sha256; s=ed; h=from; l=11", ED.getPrivate(), Messages.SIMPLE);

        assertThat(verify(signed)).isEqualTo(pass());
        assertThat(verify(signed + "-- \r\nAppended by a list\r\n")).isEqualTo(pass());
        assertThat(verify(signed.replace("Shall we?", "Shall"))).isEqualTo("fail l= exceeds the body length");
    }

    @Test
    void rsaSha1IsNotAcceptable() {
        assertThat(verify(sign("a=rsa-sha1; s=rsa; h=from", RSA.getPrivate(), Messages.SIMPLE)))
                .isEqualTo("permerror rsa-sha1 is not acceptable (RFC 8301)");
    }

    @Test
    void keyProblems() throws Exception {
        Messages.publishText(zone, "revoked._domainkey.example.org", "v=DKIM1; k=ed25519; p=");
        Messages.publishText(zone, "bad._domainkey.example.org", "v=DKIM1; k=rsa; p=QUJD");
        Messages.publishText(zone, "web._domainkey.example.org", "v=DKIM1; s=other; " + DkimKeys.txtRecord(
                RSA.getPublic()).substring("v=DKIM1; ".length()));
        zone.serverFailure("down._domainkey.example.org");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(512);
        KeyPair weak = small.generateKeyPair();
        Messages.publish(zone, "example.org", "weak", weak);

        assertThat(verify(sign("a=ed25519-sha256; s=revoked; h=from", ED.getPrivate(), Messages.SIMPLE)))
                .isEqualTo("permerror key revoked");
        assertThat(verify(sign("a=rsa-sha256; s=bad; h=from", RSA.getPrivate(), Messages.SIMPLE)))
                .isEqualTo("permerror bad public key");
        assertThat(verify(sign("a=rsa-sha256; s=web; h=from", RSA.getPrivate(), Messages.SIMPLE)))
                .isEqualTo("permerror key not for email (s=)");
        assertThat(verify(sign("a=rsa-sha256; s=missing; h=from", RSA.getPrivate(), Messages.SIMPLE)))
                .isEqualTo("permerror no key for missing._domainkey.example.org");
        assertThat(verify(sign("a=rsa-sha256; s=down; h=from", RSA.getPrivate(), Messages.SIMPLE)))
                .startsWith("temperror key lookup failed");
        assertThat(verify(sign("a=rsa-sha256; s=ed; h=from", RSA.getPrivate(), Messages.SIMPLE)))
                .isEqualTo("permerror key type ed25519 does not match a=rsa-sha256");
        assertThat(verify(sign("a=rsa-sha256; s=weak; h=from", weak.getPrivate(), Messages.SIMPLE)))
                .isEqualTo("permerror RSA key of 512 bits is too short (RFC 8301)");
    }

    @Test
    void strictKeyNeedsIdentityInTheSigningDomainItself() {
        Messages.publishText(zone, "strict._domainkey.example.org", DkimKeys.txtRecord(ED.getPublic()) + "; t=s");

        assertThat(verify(sign("a=ed25519-sha256; s=strict; h=from; i=joe@example.org", ED.getPrivate(),
                Messages.SIMPLE))).isEqualTo(pass());
        assertThat(verify(sign("a=ed25519-sha256; s=strict; h=from; i=joe@mail.example.org", ED.getPrivate(),
                Messages.SIMPLE))).isEqualTo("permerror key requires i= domain equal to d= (t=s)");
    }

    @Test
    void brokenSignatureIsReportedWithWhatCanBeRead() {
        String message = "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=sel; h=to; bh=AAAA; b=QUJDREVGR0hJ\r\n"
                + Messages.crlf(Messages.SIMPLE);

        List<DkimResult> results = Messages.verify(verifier, message.getBytes(StandardCharsets.US_ASCII));

        assertThat(results).containsExactly(new DkimResult(Result.PERMERROR, "example.org", "sel", "",
                "QUJDREVGR0hJ", "h= does not include From"));
        assertThat(results.getFirst().authenticationResults()).isEqualTo(
                "dkim=permerror reason=\"h= does not include From\" header.d=example.org header.s=sel header.b=QUJDREVG");
    }

    @Test
    void severalSignaturesAreEachJudged() {
        String once = sign("a=ed25519-sha256; s=ed; h=from", ED.getPrivate(), Messages.SIMPLE);
        String twice = sign("a=rsa-sha256; s=rsa; h=from:subject; c=simple/relaxed", RSA.getPrivate(), once);
        String broken = "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=rsa; h=from; bh=AAAA; b=QUJD\r\n"
                + twice;

        List<DkimResult> results = Messages.verify(verifier, broken.getBytes(StandardCharsets.ISO_8859_1), 5);

        assertThat(results).extracting(DkimResult::result).containsExactly(Result.FAIL, Result.PASS, Result.PASS);
    }

    @Test
    void headerLargerThanTheBoundIsAPermerror() {
        DkimVerifier small = new DkimVerifier(zone, new ManualClock(), new DkimVerifier.Options(1024, 600, 8));
        String signed = sign("a=ed25519-sha256; s=ed; h=from", ED.getPrivate(), Messages.SIMPLE);
        String big = signed.replace("Subject: Lunch", "Subject: " + "x".repeat(700));

        assertThat(Messages.verify(small, big.getBytes(StandardCharsets.ISO_8859_1)))
                .extracting(DkimResult::reason).containsExactly("header too large");
    }

    @Test
    void keyLookupStartsWhenTheHeaderEndsAndSharedKeysAreFetchedOnce() throws Exception {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        org.postwerk.dns.Resolver watching = new ForwardingResolver(zone) {
            @Override
            public org.postwerk.dns.DnsAnswer<String> txt(String name) {
                asked.countDown();
                return super.txt(name);
            }
        };
        String once = sign("a=ed25519-sha256; s=ed; h=from", ED.getPrivate(), Messages.SIMPLE);
        byte[] twice = sign("a=ed25519-sha256; s=ed; h=from:to", ED.getPrivate(), once)
                .getBytes(StandardCharsets.ISO_8859_1);
        int headerEnd = new String(twice, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
        DkimVerifier.Check check = new DkimVerifier(watching, new ManualClock()).begin();

        check.update(twice, 0, headerEnd);
        assertThat(asked.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        check.update(twice, headerEnd, twice.length - headerEnd);

        assertThat(check.finish()).extracting(DkimResult::result).containsExactly(Result.PASS, Result.PASS);
        assertThat(zone.queries()).isEqualTo(1);
    }

    private static String pass() {
        return "pass ";
    }

    private String verify(String message) {
        List<DkimResult> results = Messages.verify(verifier, message.getBytes(StandardCharsets.ISO_8859_1), 3);
        assertThat(results).hasSize(1);
        return results.getFirst().result().keyword() + " " + results.getFirst().reason();
    }

    /** Prepends a signature with the given tags (plus v, d, bh, b) made with {@code key}. */
    private static String sign(String tags, PrivateKey key, String message) {
        String text = Messages.crlf(message);
        DkimSignature parsedTags = ((Parsed.Ok<DkimSignature>) DkimSignature.parse(
                "v=1; d=example.org; bh=AAAA; b=AAAA; " + tags)).value();
        int split = text.indexOf("\r\n\r\n") + 4;
        byte[] body = text.substring(split).getBytes(StandardCharsets.ISO_8859_1);
        BodyHasher hasher = new BodyHasher(parsedTags.bodyCanon(), parsedTags.length().orElse(-1));
        hasher.update(body, 0, body.length);
        String field = "DKIM-Signature: v=1; d=example.org; " + tags + ";\r\n bh="
                + Base64.getEncoder().encodeToString(hasher.finish().hash()) + "; b=";
        byte[] head = text.substring(0, split - 2).getBytes(StandardCharsets.ISO_8859_1);
        HeaderFields headers = HeaderFields.parse(head, head.length);
        byte[] data = SignedHeaders.data(headers, parsedTags.signedHeaders(), parsedTags.headerCanon(), field);
        Algorithm algorithm = parsedTags.algorithm() == Algorithm.RSA_SHA1 ? Algorithm.RSA_SHA256
                : parsedTags.algorithm();
        try {
            String b = Base64.getEncoder().encodeToString(SignedHeaders.sign(algorithm, key, data));
            return field + b + "\r\n" + text;
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
