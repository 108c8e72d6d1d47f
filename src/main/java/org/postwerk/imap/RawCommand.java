package org.postwerk.imap;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One complete command as it came off the wire, before parsing: the command text in pieces, split where a
 * literal was announced, and the literals themselves. {@code lines.size() == literals.size() + 1}; piece
 * {@code i} is followed by literal {@code i}. The announcements ({@code {n}}, {@code {n+}}, {@code ~{n}}) and
 * the line ends are not part of the pieces. Close to free spilled literals.
 */
public record RawCommand(List<byte[]> lines, List<Literal> literals) implements AutoCloseable {
    public RawCommand {
        lines = List.copyOf(lines);
        literals = List.copyOf(literals);
        if (lines.size() != literals.size() + 1) {
            throw new IllegalArgumentException("one more line piece than literals expected");
        }
    }

    /** A command without literals (tests, and lines the session reads itself such as IDLE's DONE). */
    public static RawCommand of(String line) {
        return new RawCommand(List.of(line.getBytes(StandardCharsets.UTF_8)), List.of());
    }

    /** Longest text {@link #forLog()} returns. */
    static final int LOG_LENGTH = 200;

    /**
     * The first piece for a log line: literals are left out (passwords, mail), and so is everything after the
     * command word of LOGIN and AUTHENTICATE; at most {@link #LOG_LENGTH} characters.
     */
    public String forLog() {
        String line = new String(lines.get(0), StandardCharsets.UTF_8);
        String[] words = line.split(" ", 3);
        if (words.length == 3 && (words[1].equalsIgnoreCase("LOGIN") || words[1].equalsIgnoreCase("AUTHENTICATE"))) {
            line = words[0] + " " + words[1] + " <redacted>";
        }
        line = line.chars().mapToObj(c -> c < 0x20 || c == 0x7f ? "?" : Character.toString(c))
                .collect(java.util.stream.Collectors.joining());
        return line.length() > LOG_LENGTH ? line.substring(0, LOG_LENGTH) + "..." : line;
    }

    @Override
    public void close() {
        literals.forEach(Literal::close);
    }
}
