package org.postwerk.auth.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.postwerk.auth.dkim.DkimResult.Result;
import org.postwerk.dns.DnsAnswer;

/**
 * Verifies one parsed signature against the header, the body hash and the key in DNS (RFC 6376 §6.1).
 * Cryptographic mismatches and expiry are {@code fail}; unusable signatures or keys are {@code permerror};
 * DNS failures are {@code temperror}.
 */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's AMS verification and key checks)
public final class SignatureCheck {
    private final KeyFetch keys;
    private final Clock clock;
    private final int minRsaBits;
    private final HeaderFields headers;

    public SignatureCheck(KeyFetch keys, Clock clock, int minRsaBits, HeaderFields headers) {
        this.keys = keys;
        this.clock = clock;
        this.minRsaBits = minRsaBits;
        this.headers = headers;
    }

    /** A result decided from the field alone (syntax, rsa-sha1), or empty when the body and key are needed. */
    static Optional<DkimResult> early(HeaderFields.Field field, Parsed<DkimSignature> parsed) {
        return switch (parsed) {
            case Parsed.Invalid<DkimSignature> i -> Optional.of(broken(field, i.reason()));
            case Parsed.Ok<DkimSignature> ok when ok.value().algorithm() == Algorithm.RSA_SHA1 ->
                    Optional.of(result(ok.value(), Result.PERMERROR, "rsa-sha1 is not acceptable (RFC 8301)"));
            case Parsed.Ok<DkimSignature> ok -> Optional.empty();
        };
    }

    /** A permerror for a field, with whatever d=, s=, i= and b= can still be read from it. */
    static DkimResult broken(HeaderFields.Field field, String reason) {
        Map<String, String> tags = DkimSignature.tagsOf(field.value()).orElse(Map.of());
        String b = Tags.compact(tags.getOrDefault("b", ""));
        return new DkimResult(Result.PERMERROR, tags.getOrDefault("d", "").toLowerCase(java.util.Locale.ROOT),
                tags.getOrDefault("s", ""), tags.getOrDefault("i", ""), prefix(b), reason);
    }

    public DkimResult verify(HeaderFields.Field field, DkimSignature sig, BodyHasher.Result body) {
        if (sig.expiry().isPresent() && sig.expiry().get().isBefore(clock.instant())) {
            return result(sig, Result.FAIL, "signature expired"); // §3.5 x=, §6.1.1
        }
        if (sig.length().isPresent() && sig.length().getAsLong() > body.canonicalLength()) {
            return result(sig, Result.FAIL, "l= exceeds the body length"); // §3.5 l=: the body was truncated
        }
        Key key = key(keys, sig, minRsaBits);
        if (key instanceof Key.Error e) {
            return result(sig, e.result(), e.reason());
        }
        if (!MessageDigest.isEqual(body.hash(), sig.bodyHash())) {
            return result(sig, Result.FAIL, "body hash mismatch");
        }
        byte[] data = SignedHeaders.data(headers, sig.signedHeaders(), sig.headerCanon(), field.raw());
        try {
            if (SignedHeaders.verify(sig.algorithm(), ((Key.Usable) key).key(), data, sig.signature())) {
                return result(sig, Result.PASS, "");
            }
            return result(sig, Result.FAIL, "signature did not verify");
        } catch (GeneralSecurityException e) {
            return result(sig, Result.FAIL, "signature did not verify: " + e.getMessage());
        }
    }

    /** The outcome of fetching and checking a key. */
    public sealed interface Key {
        record Usable(PublicKey key) implements Key {}

        record Error(Result result, String reason) implements Key {}
    }

    /** §6.1.2: fetch {@code s._domainkey.d} and check it fits the signature (ARC-Seal keys too, RFC 8617 §4.1.3). */
    public static Key key(KeyFetch keys, DkimSignature sig, int minRsaBits) {
        String name = KeyFetch.name(sig);
        DnsAnswer<String> answer = keys.txt(sig);
        if (answer instanceof DnsAnswer.TempError<String> t) {
            return new Key.Error(Result.TEMPERROR, "key lookup failed: " + t.reason());
        }
        if (!(answer instanceof DnsAnswer.Found<String> found)) {
            return new Key.Error(Result.PERMERROR, "no key for " + name);
        }
        Parsed<DkimKeyRecord> parsed = new Parsed.Invalid<>("no key record");
        for (String text : found.records()) {
            parsed = DkimKeyRecord.parse(text);
            if (parsed instanceof Parsed.Ok<DkimKeyRecord>) {
                break; // §3.6.2.2: several records are ambiguous; use the first that parses
            }
        }
        return switch (parsed) {
            case Parsed.Invalid<DkimKeyRecord> i -> new Key.Error(Result.PERMERROR, "bad key record: " + i.reason());
            case Parsed.Ok<DkimKeyRecord> ok -> usable(sig, ok.value(), minRsaBits);
        };
    }

    private static Key usable(DkimSignature sig, DkimKeyRecord record, int minRsaBits) {
        if (record.revoked()) {
            return new Key.Error(Result.PERMERROR, "key revoked");
        }
        if (record.keyType() != sig.algorithm().keyType()) {
            return new Key.Error(Result.PERMERROR, "key type " + record.keyType().tag() + " does not match a="
                    + sig.algorithm().tag());
        }
        if (!record.allowsSha256()) {
            return new Key.Error(Result.PERMERROR, "key does not allow sha256 (h=)");
        }
        if (!record.allowsEmail()) {
            return new Key.Error(Result.PERMERROR, "key not for email (s=)");
        }
        if (record.strict() && !identityDomain(sig).equals(sig.domain())) {
            return new Key.Error(Result.PERMERROR, "key requires i= domain equal to d= (t=s)");
        }
        Optional<PublicKey> key = record.toPublicKey();
        if (key.isEmpty()) {
            return new Key.Error(Result.PERMERROR, "bad public key");
        }
        if (key.get() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < minRsaBits) {
            return new Key.Error(Result.PERMERROR, "RSA key of " + rsa.getModulus().bitLength()
                    + " bits is too short (RFC 8301)");
        }
        return new Key.Usable(key.get());
    }

    private static String identityDomain(DkimSignature sig) {
        String i = sig.identity();
        return i.substring(i.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
    }

    static DkimResult result(DkimSignature sig, Result result, String reason) {
        return new DkimResult(result, sig.domain(), sig.selector(), sig.identity(), prefix(sig.signatureText()),
                reason);
    }

    private static String prefix(String b) {
        return b.substring(0, Math.min(DkimResult.SIGNATURE_PREFIX, b.length()));
    }
}
