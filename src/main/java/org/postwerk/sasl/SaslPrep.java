package org.postwerk.sasl;

import java.nio.CharBuffer;
import java.text.Normalizer;

/**
 * Password preparation close to SASLprep (RFC 4013): non-ASCII spaces become U+0020, characters "commonly
 * mapped to nothing" (RFC 3454 table B.1) are dropped, and the result is NFKC-normalised, so that the same
 * password typed on different systems gives the same bytes. Unassigned code points and bidi checks are not
 * done: they reject passwords rather than change them, and we never reject at this stage.
 */
public final class SaslPrep {
    private SaslPrep() {}

    public static String prepare(char[] password) {
        StringBuilder mapped = new StringBuilder(password.length);
        for (char c : password) {
            if (isMappedToNothing(c)) {
                continue;
            }
            mapped.append(Character.isSpaceChar(c) ? ' ' : c);
        }
        String result = Normalizer.normalize(CharBuffer.wrap(mapped), Normalizer.Form.NFKC);
        mapped.setLength(0);
        return result;
    }

    private static boolean isMappedToNothing(char c) {
        return c == '\u00AD' || c == '\u034F' || c == '\u1806' || (c >= '\u180B' && c <= '\u180D')
                || (c >= '\u200B' && c <= '\u200D') || c == '\u2060' || (c >= '\uFE00' && c <= '\uFE0F')
                || c == '\uFEFF';
    }
}
