package org.postwerk.smtp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.smtp.Reply;

/**
 * Reads one SMTP reply (RFC 5321 §4.2): lines {@code ddd-text} up to the last {@code ddd text}, bounded in line
 * length and count. An enhanced status (RFC 2034) in the text is split off when its class matches the code.
 */
final class ReplyReader {
    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 100;

    /** The peer sent something that is not an SMTP reply. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    private final InputStream in;

    ReplyReader(InputStream in) {
        this.in = in;
    }

    Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        int code = -1;
        while (true) {
            String line = readLine();
            if (line.length() < 3 || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new Malformed("bad reply line: " + printable(line));
            }
            int c;
            try {
                c = Integer.parseInt(line.substring(0, 3));
            } catch (NumberFormatException e) {
                throw new Malformed("bad reply code: " + printable(line));
            }
            if (c < 200 || c > 599 || (code >= 0 && c != code)) {
                throw new Malformed("bad reply code: " + printable(line));
            }
            code = c;
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return Reply.read(code, lines);
            }
            if (lines.size() >= MAX_LINES) {
                throw new Malformed("reply too long");
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new java.io.EOFException("connection closed by peer");
            }
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = prev == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (b.size() >= MAX_LINE) {
                throw new Malformed("reply line too long");
            }
            b.write(c);
            prev = c;
        }
    }

    private static String printable(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
