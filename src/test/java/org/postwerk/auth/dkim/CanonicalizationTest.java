package org.postwerk.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalizationTest {

    /** RFC 6376 §3.4.5, header part. */
    @Test
    void headersOfTheRfcExample() {
        assertThat(Canonicalization.RELAXED.header("A: X\r\n")).isEqualTo("a:X\r\n");
        assertThat(Canonicalization.RELAXED.header("B : Y\t\r\n\tZ  \r\n")).isEqualTo("b:Y Z\r\n");
        assertThat(Canonicalization.SIMPLE.header("B : Y\t\r\n\tZ  \r\n")).isEqualTo("B : Y\t\r\n\tZ  \r\n");
    }

    /** RFC 6376 §3.4.5, body part, plus the edge cases of §3.4.3 and §3.4.4. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "RELAXED|\" C \\r\\nD \\t E\\r\\n\\r\\n\\r\\n\"|\" C\\r\\nD E\\r\\n\"",
        "SIMPLE |\" C \\r\\nD \\t E\\r\\n\\r\\n\\r\\n\"|\" C \\r\\nD \\t E\\r\\n\"",
        "SIMPLE |\"\"|\\r\\n",
        "RELAXED|\"\"|\"\"",
        "SIMPLE |\\r\\n\\r\\n|\\r\\n",
        "RELAXED|\\r\\n\\r\\n|\"\"",
        "RELAXED|\" \\t \\r\\n\"|\"\"",
        "SIMPLE |no newline|no newline\\r\\n",
        "RELAXED|\"no newline  \"|no newline\\r\\n",
        "RELAXED|a\\r\\n\\r\\nb\\r\\n \\r\\n|a\\r\\n\\r\\nb\\r\\n",
        "SIMPLE |a\\rb\\r\\n|a\\rb\\r\\n",
        "SIMPLE |a\\r|a\\r\\r\\n",
    })
    void bodies(Canonicalization canon, String body, String expected) {
        String in = unescape(body);
        String out = unescape(expected);

        assertThat(hash(canon, in, -1, 1)).isEqualTo(sha256(out));
        assertThat(hash(canon, in, -1, 3)).isEqualTo(sha256(out));
        assertThat(hash(canon, in, -1, 1000)).isEqualTo(sha256(out));
    }

    @Test
    void wellKnownEmptyBodyHashes() {
        assertThat(hash(Canonicalization.SIMPLE, "", -1, 1)).isEqualTo("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
        assertThat(hash(Canonicalization.RELAXED, "", -1, 1)).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }

    /** l= counts canonical octets: only the first l are hashed, but the length of the whole is reported. */
    @Test
    void lengthLimit() {
        BodyHasher hasher = new BodyHasher(Canonicalization.RELAXED, 5);
        byte[] body = "Hello   world\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        hasher.update(body, 0, body.length);

        BodyHasher.Result result = hasher.finish();

        assertThat(Base64.getEncoder().encodeToString(result.hash())).isEqualTo(sha256("Hello"));
        assertThat(result.canonicalLength()).isEqualTo("Hello world\r\n".length());
    }

    private static String hash(Canonicalization canon, String body, long limit, int chunk) {
        BodyHasher hasher = new BodyHasher(canon, limit);
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i += chunk) {
            hasher.update(b, i, Math.min(chunk, b.length - i));
        }
        return Base64.getEncoder().encodeToString(hasher.finish().hash());
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
    }
}
