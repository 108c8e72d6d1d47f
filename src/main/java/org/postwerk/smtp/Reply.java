package org.postwerk.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an enhanced status (omitted only where RFC 2034 says so: the greeting
 * and EHLO/HELO replies) and one or more text lines. Client text is generic; details belong in the log.
 */
public record Reply(int code, EnhancedStatus status, List<String> lines) {
    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code out of range: " + code);
        }
        Objects.requireNonNull(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        lines = List.copyOf(lines);
        if (status != null && status.klass() != code / 100) {
            throw new IllegalArgumentException("status class " + status + " does not match code " + code);
        }
    }

    public Reply(int code, EnhancedStatus status, String text) {
        this(code, status, List.of(text));
    }

    /** A reply without an enhanced status code (greeting, EHLO, HELO). */
    public static Reply plain(int code, List<String> lines) {
        return new Reply(code, null, lines);
    }

    /**
     * A reply as read (from the wire or a file): its code and the text of each line, an enhanced status (RFC
     * 2034) at the start of the first line split off from every line when its class matches the code.
     */
    public static Reply read(int code, List<String> texts) {
        EnhancedStatus status = EnhancedStatus.parse(texts.getFirst(), code / 100);
        if (status == null) {
            return plain(code, texts);
        }
        String prefix = status + " ";
        return new Reply(code, status, texts.stream().map(l -> l.startsWith(prefix) ? l.substring(prefix.length())
                : l.equals(status.toString()) ? "" : l).map(l -> l.isEmpty() ? " " : l).toList());
    }

    public static Reply of(int code, int klass, int subject, int detail, String text) {
        return new Reply(code, EnhancedStatus.of(klass, subject, detail), text);
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    /** The same reply with other text (for details that are safe to show the client). */
    public Reply withText(String text) {
        return new Reply(code, status, text);
    }

    /** The reply as it goes on the wire: {@code 250-first CRLF 250 last CRLF}. */
    public String wire() {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < lines.size(); i++) {
            sb.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (status != null) {
                sb.append(status).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString();
    }

    public byte[] wireBytes() {
        return wire().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return wire().stripTrailing();
    }
}
