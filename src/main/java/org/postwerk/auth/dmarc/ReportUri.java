package org.postwerk.auth.dmarc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reporting address from {@code rua} or {@code ruf} (RFC 7489 §6.4 dmarc-uri): a URI with an optional
 * size limit, {@code mailto:dmarc@example.com!10m}.
 *
 * @param uri      the absolute URI (in practice {@code mailto:})
 * @param maxBytes the largest report the owner accepts, if it said
 */
public record ReportUri(URI uri, OptionalLong maxBytes) {
    // RFC 7489 §6.4: dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]; "!" is not valid in a URI's
    // mailto local part unencoded in practice, so the last "!" followed by a size ends the URI.
    private static final Pattern SIZE = Pattern.compile("!([0-9]{1,15})([kmgtKMGT]?)$");

    static Optional<ReportUri> parse(String text) {
        String s = text.strip();
        OptionalLong max = OptionalLong.empty();
        Matcher m = SIZE.matcher(s);
        if (m.find()) {
            long n = Long.parseLong(m.group(1));
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            max = n > (Long.MAX_VALUE >> shift) ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.of(n << shift);
            s = s.substring(0, m.start());
        }
        try {
            URI uri = new URI(s);
            return uri.isAbsolute() ? Optional.of(new ReportUri(uri, max)) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
