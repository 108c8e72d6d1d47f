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

    /** The first piece as text, for logs (literals are never logged: they may hold passwords or mail). */
    public String firstLine() {
        return new String(lines.get(0), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        literals.forEach(Literal::close);
    }
}
