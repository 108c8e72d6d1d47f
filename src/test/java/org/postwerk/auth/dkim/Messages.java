package org.postwerk.auth.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.testkit.ZoneResolver;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/** Test messages and helpers: resources with LF line ends become CRLF, as the SMTP server hands them over. */
final class Messages {
    private Messages() {}

    static final String SIMPLE = """
            From: Alice <alice@example.org>
            To: Bob <bob@example.net>
            Subject: Lunch
            Date: Sun, 29 Nov 2026 03:00:00 +0000
            Message-ID: <1@example.org>

            Shall we?
            """;

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static byte[] bytes(String text) {
        return crlf(text).getBytes(StandardCharsets.UTF_8);
    }

    static String resource(String name) {
        try (InputStream in = Messages.class.getResourceAsStream("/dkim/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Verifies a message fed in chunks of {@code chunk} bytes. */
    static List<DkimResult> verify(DkimVerifier verifier, byte[] message, int chunk) {
        DkimVerifier.Check check = verifier.begin();
        for (int i = 0; i < message.length; i += chunk) {
            check.update(message, i, Math.min(chunk, message.length - i));
        }
        return check.finish();
    }

    static List<DkimResult> verify(DkimVerifier verifier, byte[] message) {
        return verify(verifier, message, Math.max(1, message.length));
    }

    /** Signs a message (in one go) and returns the signed message. */
    static byte[] sign(DkimSigner signer, byte[] message) {
        DkimSigner.Signing signing = signer.begin();
        signing.update(message, 0, message.length);
        byte[] fields = signing.finish().getBytes(StandardCharsets.ISO_8859_1);
        byte[] signed = new byte[fields.length + message.length];
        System.arraycopy(fields, 0, signed, 0, fields.length);
        System.arraycopy(message, 0, signed, fields.length, message.length);
        return signed;
    }

    /** Publishes a key's TXT record, split into 255-byte strings as DNS stores it. */
    static ZoneResolver publish(ZoneResolver zone, String domain, String selector, KeyPair pair) {
        return publishText(zone, selector + "._domainkey." + domain, DkimKeys.txtRecord(pair.getPublic()));
    }

    static ZoneResolver publishText(ZoneResolver zone, String name, String text) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            strings.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        try {
            return zone.add(new TXTRecord(Name.fromString(name + "."), DClass.IN, 300, strings));
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
