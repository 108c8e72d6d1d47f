package org.postwerk.auth.dkim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a DKIM signature covers besides the body hash (RFC 6376 §3.7): the header fields named in h=, each
 * taken from the bottom up, then the DKIM-Signature field itself with an empty b= value and no final CRLF.
 * Shared by signing and verifying so both hash exactly the same octets.
 */
final class SignedHeaders {
    private SignedHeaders() {}

    /**
     * The octets to sign. A name listed more often than the field occurs selects nothing the extra times
     * (§5.4.2: "oversigning", which makes adding such a field break the signature).
     */
    static byte[] data(HeaderFields headers, List<String> names, Canonicalization canon, String signatureField) {
        StringBuilder s = new StringBuilder();
        Map<String, Integer> used = new HashMap<>();
        for (String name : names) {
            List<HeaderFields.Field> instances = headers.named(name);
            int n = used.merge(HeaderFields.lower(name), 1, Integer::sum);
            if (n <= instances.size()) {
                s.append(canon.header(instances.get(instances.size() - n).raw()));
            }
        }
        String own = canon.header(withoutSignature(signatureField));
        s.append(own, 0, own.length() - 2);
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The field with the value of its b= tag removed, everything else (folding included) kept (§3.7). */
    static String withoutSignature(String field) {
        int colon = field.indexOf(':');
        int start = colon + 1;
        int valueEnd = field.endsWith("\r\n") ? field.length() - 2 : field.length();
        while (true) {
            int semi = field.indexOf(';', start);
            int end = semi >= 0 ? semi : valueEnd;
            int eq = field.indexOf('=', start);
            if (eq >= 0 && eq < end && Tags.trimFws(field.substring(start, eq)).equals("b")) {
                return field.substring(0, eq + 1) + field.substring(end);
            }
            if (semi < 0) {
                break;
            }
            start = semi + 1;
        }
        return field;
    }

    static byte[] sign(Algorithm algorithm, PrivateKey key, byte[] data) throws GeneralSecurityException {
        Signature signer = signature(algorithm);
        signer.initSign(key);
        signer.update(input(algorithm, data));
        return signer.sign();
    }

    static boolean verify(Algorithm algorithm, PublicKey key, byte[] data, byte[] signature)
            throws GeneralSecurityException {
        Signature verifier = signature(algorithm);
        verifier.initVerify(key);
        verifier.update(input(algorithm, data));
        return verifier.verify(signature);
    }

    private static Signature signature(Algorithm algorithm) throws GeneralSecurityException {
        return Signature.getInstance(algorithm == Algorithm.ED25519_SHA256 ? "Ed25519" : "SHA256withRSA");
    }

    /** RFC 8463 §3: Ed25519 signs the SHA-256 hash of the data (not the data itself); RSA hashes internally. */
    private static byte[] input(Algorithm algorithm, byte[] data) throws GeneralSecurityException {
        return algorithm == Algorithm.ED25519_SHA256 ? MessageDigest.getInstance("SHA-256").digest(data) : data;
    }
}
