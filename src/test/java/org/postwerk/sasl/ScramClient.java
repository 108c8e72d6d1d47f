package org.postwerk.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** The client side of SCRAM-SHA-256, written from RFC 5802 §3 for the tests (public: POP3 tests use it too). */
public final class ScramClient {
    private final String user;
    private final char[] password;
    private final String nonce;
    private final String gs2;
    private String authMessage;
    private byte[] saltedPassword;

    public ScramClient(String user, String password, String nonce, String gs2) {
        this.user = user;
        this.password = password.toCharArray();
        this.nonce = nonce;
        this.gs2 = gs2;
    }

    String bare() {
        return "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + nonce;
    }

    public byte[] first() {
        return (gs2 + bare()).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] last(byte[] serverFirst) {
        String sf = new String(serverFirst, StandardCharsets.UTF_8);
        String combined = field(sf, 'r');
        byte[] salt = Base64.getDecoder().decode(field(sf, 's'));
        int iterations = Integer.parseInt(field(sf, 'i'));
        saltedPassword = ScramCredentials.saltedPassword(password, salt, iterations);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2.getBytes(StandardCharsets.UTF_8))
                + ",r=" + combined;
        authMessage = bare() + "," + sf + "," + withoutProof;
        byte[] clientKey = ScramCredentials.hmac(saltedPassword, "Client Key");
        byte[] signature = ScramCredentials.hmac(ScramCredentials.sha256(clientKey),
                authMessage.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= signature[i];
        }
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(clientKey)).getBytes(StandardCharsets.UTF_8);
    }

    /** True when the server proved it knows the ServerKey. */
    public boolean verify(byte[] serverFinal) {
        byte[] serverKey = ScramCredentials.hmac(saltedPassword, "Server Key");
        byte[] expected = ScramCredentials.hmac(serverKey, authMessage.getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(("v=" + Base64.getEncoder().encodeToString(expected))
                .getBytes(StandardCharsets.UTF_8), serverFinal);
    }

    private static String field(String message, char name) {
        for (String part : message.split(",")) {
            if (part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + message);
    }
}
