package org.postwerk.sts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** HTTP/1.1 response bodies (RFC 9112 §6.3, §7.1) read with a size limit: null when larger or cut short. */
final class HttpBodies {
    private HttpBodies() {}

    /** {@code length} octets, or (length -1) everything up to the end of the connection. */
    static byte[] upTo(InputStream in, long length, int limit) throws IOException {
        byte[] b = in.readNBytes(length >= 0 ? (int) length : limit + 1);
        return b.length > limit || (length >= 0 && b.length != length) ? null : b;
    }

    /** A chunked body: hex sizes (extensions ignored), data, CRLF; the trailer section is skipped. */
    static byte[] chunked(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = PolicyFetch.line(in).split(";", 2)[0].strip();
            if (!size.matches("[0-9A-Fa-f]{1,8}")) {
                return null;
            }
            long n = Long.parseLong(size, 16);
            if (n == 0) {
                for (String t = PolicyFetch.line(in); !t.isEmpty(); t = PolicyFetch.line(in)) {
                    // trailer fields: nothing we need
                }
                return out.toByteArray();
            }
            if (out.size() + n > limit) {
                return null;
            }
            byte[] data = in.readNBytes((int) n);
            if (data.length != n || !PolicyFetch.line(in).isEmpty()) {
                return null;
            }
            out.writeBytes(data);
        }
    }
}
