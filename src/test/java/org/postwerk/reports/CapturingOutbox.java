package org.postwerk.reports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Keeps what would be queued, and reads a report mail's attachment back. */
final class CapturingOutbox implements Outbox {
    record Sent(String to, String message) {}

    final List<Sent> sent = new ArrayList<>();

    @Override
    public void send(String to, byte[] message) {
        sent.add(new Sent(to, new String(message, StandardCharsets.US_ASCII)));
    }

    /** The gunzipped attachment of a report mail (the second part: base64 after its blank line). */
    static byte[] attachment(String message) {
        Matcher m = Pattern.compile("Content-Transfer-Encoding: base64\r\n.*?\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n\r\n--",
                Pattern.DOTALL).matcher(message);
        if (!m.find()) {
            throw new AssertionError("no base64 attachment in\n" + message);
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getMimeDecoder().decode(m.group(1))))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
