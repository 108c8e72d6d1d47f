package org.postwerk.sasl;

import java.util.Base64;
import java.util.regex.Pattern;

/** Parsers for the two SCRAM client messages (RFC 5802 §7), pure functions from text to a value or a reason. */
final class ScramMessages {
    /** RFC 5802 §7: printable ASCII except the comma. */
    private static final Pattern NONCE = Pattern.compile("[\\x21-\\x2B\\x2D-\\x7E]+");
    private static final int PROOF_BYTES = 32;

    private ScramMessages() {}

    sealed interface Parsed<T> {
        record Ok<T>(T value) implements Parsed<T> {}

        record Bad<T>(String reason) implements Parsed<T> {}
    }

    /**
     * @param gs2Header e.g. {@code n,,} (the client repeats it, base64-encoded, in its final message)
     * @param bare the client-first-message-bare, part of the AuthMessage
     */
    record ClientFirst(String gs2Header, String bare, String user, String nonce) {}

    /** @param withoutProof the client-final-message-without-proof, part of the AuthMessage */
    record ClientFinal(String channelBinding, String nonce, String withoutProof, byte[] proof) {}

    static Parsed<ClientFirst> clientFirst(String message) {
        String[] parts = message.split(",", -1);
        if (parts.length < 4) {
            return bad("malformed client-first-message");
        }
        if (parts[0].startsWith("p=")) {
            return bad("channel binding requested but not offered");
        }
        if (!parts[0].equals("n") && !parts[0].equals("y")) {
            return bad("bad GS2 channel binding flag");
        }
        String authzid = parts[1].startsWith("a=") ? saslName(parts[1].substring(2)) : null;
        if (parts[1].startsWith("a=") ? authzid == null : !parts[1].isEmpty()) {
            return bad("bad GS2 authzid");
        }
        if (parts[2].startsWith("m=")) {
            return bad("mandatory extension not supported"); // RFC 5802 §5.1
        }
        String user = parts[2].startsWith("n=") ? saslName(parts[2].substring(2)) : null;
        String nonce = parts[3].startsWith("r=") ? parts[3].substring(2) : "";
        if (user == null || user.isEmpty() || !NONCE.matcher(nonce).matches()) {
            return bad("bad user name or nonce");
        }
        if (authzid != null && !authzid.equalsIgnoreCase(user)) {
            return bad("authzid " + authzid + " differs from " + user);
        }
        int bareStart = parts[0].length() + parts[1].length() + 2;
        return new Parsed.Ok<>(new ClientFirst(message.substring(0, bareStart), message.substring(bareStart), user,
                nonce));
    }

    static Parsed<ClientFinal> clientFinal(String message) {
        int proofAt = message.lastIndexOf(",p=");
        String[] parts = message.split(",", -1);
        if (proofAt < 0 || parts.length < 3 || !parts[0].startsWith("c=") || !parts[1].startsWith("r=")) {
            return bad("malformed client-final-message");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return bad("proof is not base64");
        }
        if (proof.length != PROOF_BYTES) {
            return bad("proof has the wrong length");
        }
        return new Parsed.Ok<>(new ClientFinal(parts[0].substring(2), parts[1].substring(2),
                message.substring(0, proofAt), proof));
    }

    /** RFC 5802 §5.1: {@code =2C} is a comma, {@code =3D} an equals sign, any other {@code =} is an error. */
    static String saslName(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (encoded.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (encoded.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                return null;
            }
        }
        return out.toString();
    }

    private static <T> Parsed<T> bad(String reason) {
        return new Parsed.Bad<>(reason);
    }
}
