package org.postwerk.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.postwerk.io.SpillBuffer;

/**
 * Reads one complete IMAP command from the client: the line up to its line end plus every literal it
 * announces (RFC 9051 §4.3): {@code {n}} synchronizing (the session is asked to send {@code +} first),
 * {@code {n+}} non-synchronizing (RFC 7888, LITERAL+ or LITERAL-), {@code ~{n}} literal8 (RFC 3516 §4.3).
 *
 * <p>Bounded everywhere ({@link Limits}): the command text, the octets held in memory, each literal, the
 * number of literals, and how much it reads and throws away to stay in step after a refusal. A synchronizing
 * literal beyond a limit is refused before the client sends it. A non-synchronizing one arrives anyway: it is
 * read and discarded when within {@code maxDiscard}, otherwise the outcome says the stream is out of step and
 * the session must close (RFC 7888 §4). APPEND content beyond {@code spillThreshold} goes to a
 * {@link SpillBuffer}; everything else stays in memory, within {@code maxCommand}.
 *
 * <p>Lines end with CRLF; a bare LF is accepted as well (as Dovecot and Cyrus do): IMAP has no dot-stuffing,
 * so the line end carries no smuggling risk. Not thread-safe: one per connection.
 */
public final class CommandReader {
    /**
     * @param maxLine octets of command text, all pieces together, without literals (RFC 7162 §4 asks for at
     *     least 8192)
     * @param maxCommand octets held in memory for one command: text plus in-memory literals
     * @param maxLiteral largest literal: the APPENDLIMIT (RFC 7889)
     * @param maxLiterals literals per command
     * @param maxNonSyncLiteral largest non-synchronizing literal: {@link #LITERAL_MINUS} under LITERAL-
     *     (RFC 7888 §5, which IMAP4rev2 includes, RFC 9051 §4.3), {@code Long.MAX_VALUE} under LITERAL+
     * @param spillThreshold APPEND literals larger than this go to a spill buffer
     * @param maxDiscard octets read and thrown away to stay in step after a refused command
     */
    public record Limits(int maxLine, int maxCommand, long maxLiteral, int maxLiterals, long maxNonSyncLiteral,
            int spillThreshold, long maxDiscard) {
        public static final long LITERAL_MINUS = 4096;
        public static final Limits DEFAULT =
                new Limits(64 * 1024, 256 * 1024, 50L << 20, 256, Long.MAX_VALUE, 64 * 1024, 50L << 20);
        /**
         * Before login: room for LOGIN with a long password, SASL responses and ID, nothing to append. A
         * stranger's literal is never spilled to disk, and one beyond 64 KiB ends the session unread.
         */
        public static final Limits BEFORE_LOGIN =
                new Limits(8 * 1024, 16 * 1024, 8 * 1024, 8, LITERAL_MINUS, 16 * 1024, 64 * 1024);

        public Limits {
            if (maxLine < 1024 || maxCommand < maxLine || maxLiteral < 0 || maxLiterals < 0
                    || maxNonSyncLiteral < 0 || spillThreshold < 0 || spillThreshold > maxCommand || maxDiscard < 0) {
                throw new IllegalArgumentException("invalid command reader limits");
            }
        }
    }

    /** A synchronizing literal about to be read, as shown to the {@link Continuation}. */
    public record Announcement(String tag, String command, long size, boolean binary) {}

    /** Asked before the octets of each synchronizing literal are read. */
    @FunctionalInterface
    public interface Continuation {
        /**
         * Sends the command continuation request ({@code + ...}, RFC 9051 §7.5), flushes, and returns true;
         * or returns false to refuse the literal, in which case nothing of it is read and the reader returns
         * {@link ReadOutcome.Refused}.
         */
        boolean proceed(Announcement announcement) throws IOException;
    }

    private static final int TAIL = 32;

    private enum Status { OK, TOO_LONG, GAVE_UP, EOF_EMPTY, EOF_PARTIAL }

    /** One line piece: its octets (at most the limit kept), how it ended, its full length and last octets. */
    private record Piece(byte[] bytes, Status status, long length, byte[] tail) {}

    /** A literal announcement at the end of a piece; {@code start} is where it begins. */
    private record Ann(int start, long size, boolean sync, boolean binary) {}

    private InputStream in;
    private Limits limits;
    private final Supplier<SpillBuffer> spill;
    private static final int BUFFER = 8192;
    private static final byte[] EMPTY = new byte[0];
    private byte[] buf = EMPTY; // taken when octets arrive, let go when all are consumed (see fill)
    private int pos;
    private int limit;

    public CommandReader(InputStream in, Limits limits, Supplier<SpillBuffer> spill) {
        this.in = in;
        this.limits = limits;
        this.spill = spill;
    }

    /**
     * Changes the limits from the next command on. Before authentication nothing may be appended, so the
     * session should use small limits there (a non-synchronizing APPEND literal would otherwise be spilled
     * before the session could say no) and the configured ones after login.
     */
    public void limits(Limits next) {
        this.limits = next;
    }

    /** Octets received but not yet consumed (pipelined commands, or data injected before a TLS handshake). */
    public int buffered() {
        return limit - pos;
    }

    /** Drops everything buffered and reads from {@code next} (after STARTTLS, RFC 9051 §6.2.1). */
    public void switchTo(InputStream next) {
        pos = 0;
        limit = 0;
        in = next;
    }

    /** Reads the next command with its literals. */
    public ReadOutcome read(Continuation continuation) throws IOException {
        releaseIfDrained();
        List<byte[]> lines = new ArrayList<>(1);
        List<Literal> literals = new ArrayList<>(0);
        long textLeft = limits.maxLine();
        long memoryLeft = limits.maxCommand();
        String tag = null;
        String command = null;
        boolean ready = false;
        try {
            while (true) {
                Piece p = readPiece(textLeft, textLeft + limits.maxDiscard());
                if (p.status == Status.EOF_EMPTY || p.status == Status.EOF_PARTIAL) {
                    return new ReadOutcome.Eof(!lines.isEmpty() || p.status == Status.EOF_PARTIAL);
                }
                if (lines.isEmpty()) {
                    tag = tagOf(p.bytes);
                    command = commandOf(p.bytes);
                }
                if (p.status != Status.OK) {
                    boolean inStep = p.status == Status.TOO_LONG && skipRest(announcement(p.tail, p.tail.length));
                    return new ReadOutcome.LineTooLong(tag, command, inStep);
                }
                Ann a = announcement(p.bytes, p.bytes.length);
                if (a == null) {
                    lines.add(p.bytes);
                    ready = true;
                    return new ReadOutcome.Ready(new RawCommand(lines, literals));
                }
                textLeft -= p.bytes.length;
                memoryLeft -= a.start;
                if (literals.size() >= limits.maxLiterals()) {
                    return new ReadOutcome.TooManyLiterals(tag, command, skipRest(a));
                }
                boolean toSpill = "APPEND".equals(command) && a.size > limits.spillThreshold();
                if (a.size > allowed(a, toSpill, memoryLeft)) {
                    return new ReadOutcome.LiteralTooBig(tag, command, a.size, a.sync, skipRest(a));
                }
                if (a.sync && !continuation.proceed(new Announcement(tag, command, a.size, a.binary))) {
                    return new ReadOutcome.Refused(tag, command, a.size);
                }
                Literal literal = toSpill ? readSpilled(a) : readInMemory(a);
                if (literal == null) {
                    return new ReadOutcome.Eof(true);
                }
                literals.add(literal);
                lines.add(Arrays.copyOf(p.bytes, a.start));
                if (!toSpill) {
                    memoryLeft -= a.size;
                }
            }
        } finally {
            if (!ready) {
                literals.forEach(Literal::close);
            }
        }
    }

    /**
     * The largest literal we take here. RFC 9051 §6.3.12: only APPEND carries message content, which may be
     * spilled up to the literal limit; every other literal is a string and must fit in memory.
     */
    private long allowed(Ann a, boolean toSpill, long memoryLeft) {
        long allowed = toSpill ? limits.maxLiteral() : Math.min(limits.maxLiteral(), memoryLeft);
        return a.sync ? allowed : Math.min(allowed, limits.maxNonSyncLiteral());
    }

    /**
     * Reads one plain line without looking for literals: a SASL response during AUTHENTICATE (RFC 9051
     * §6.2.2) or the DONE that ends IDLE (RFC 9051 §6.3.13).
     */
    public ReadOutcome readLine() throws IOException {
        releaseIfDrained();
        Piece p = readPiece(limits.maxLine(), limits.maxLine() + limits.maxDiscard());
        return switch (p.status) {
            case OK -> new ReadOutcome.Ready(new RawCommand(List.of(p.bytes), List.of()));
            case TOO_LONG -> new ReadOutcome.LineTooLong(null, null, true);
            case GAVE_UP -> new ReadOutcome.LineTooLong(null, null, false);
            case EOF_EMPTY -> new ReadOutcome.Eof(false);
            case EOF_PARTIAL -> new ReadOutcome.Eof(true);
        };
    }

    /**
     * After a refusal: consumes what the client sends anyway, up to the end of the command, so that the next
     * octet starts a new command. A synchronizing literal is never sent without our continuation, so the
     * command ends there. Returns false when the discard budget ran out (or the client closed).
     */
    private boolean skipRest(Ann pending) throws IOException {
        long budget = limits.maxDiscard();
        Ann a = pending;
        while (a != null && !a.sync) {
            if (a.size > budget || !discard(a.size)) {
                return false;
            }
            budget -= a.size;
            Piece p = readPiece(0, budget);
            if (p.status != Status.TOO_LONG && p.status != Status.OK) {
                return false;
            }
            budget -= p.length;
            a = announcement(p.tail, p.tail.length);
        }
        return true;
    }

    private boolean discard(long size) throws IOException {
        long left = size;
        while (left > 0) {
            if (!fill()) {
                return false;
            }
            int n = (int) Math.min(left, limit - pos);
            pos += n;
            left -= n;
        }
        return true;
    }

    private Literal readInMemory(Ann a) throws IOException {
        byte[] octets = new byte[(int) a.size];
        int n = 0;
        while (n < octets.length) {
            if (!fill()) {
                return null;
            }
            int chunk = Math.min(octets.length - n, limit - pos);
            System.arraycopy(buf, pos, octets, n, chunk);
            pos += chunk;
            n += chunk;
        }
        return new Literal.Bytes(octets, a.binary);
    }

    private Literal readSpilled(Ann a) throws IOException {
        SpillBuffer sink = spill.get();
        boolean complete = false;
        try {
            long left = a.size;
            while (left > 0) {
                if (!fill()) {
                    return null;
                }
                int chunk = (int) Math.min(left, limit - pos);
                sink.write(buf, pos, chunk);
                pos += chunk;
                left -= chunk;
            }
            complete = true;
            return new Literal.Spilled(sink, a.size, a.binary);
        } finally {
            if (!complete) {
                sink.close();
            }
        }
    }

    /**
     * Reads up to LF, keeping at most {@code keep} octets (without the line end). Beyond {@code keep} the
     * piece is TOO_LONG and read on to its LF; beyond {@code giveUp} octets in all it is GAVE_UP.
     */
    private Piece readPiece(long keep, long giveUp) throws IOException {
        if (!fill()) {
            return new Piece(new byte[0], Status.EOF_EMPTY, 0, new byte[0]);
        }
        byte[] line = new byte[(int) Math.min(keep, 256)];
        int n = 0;
        long total = 0;
        byte[] tail = new byte[TAIL];
        int tailLength = 0;
        while (true) {
            if (!fill()) {
                return new Piece(new byte[0], Status.EOF_PARTIAL, total, new byte[0]);
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') {
                pos++;
            }
            int chunk = pos - start;
            total += chunk;
            if (n < keep) {
                int take = (int) Math.min(chunk, keep - n);
                if (n + take > line.length) {
                    line = Arrays.copyOf(line, (int) Math.min(keep, Math.max(line.length * 2L, n + take)));
                }
                System.arraycopy(buf, start, line, n, take);
                n += take;
            }
            tailLength = appendTail(tail, tailLength, buf, start, chunk);
            boolean lineEnd = pos < limit;
            if (lineEnd) {
                pos++; // the LF
            }
            if (total > giveUp) {
                return new Piece(Arrays.copyOf(line, n), Status.GAVE_UP, total, new byte[0]);
            }
            if (lineEnd) {
                return finish(line, n, total, tail, tailLength, keep);
            }
        }
    }

    private static Piece finish(byte[] line, int n, long total, byte[] tail, int tailLength, long keep) {
        int tl = tailLength;
        long length = total;
        if (tl > 0 && tail[tl - 1] == '\r') {
            tl--;
            length--;
        }
        byte[] t = Arrays.copyOf(tail, tl);
        if (length > keep) {
            return new Piece(Arrays.copyOf(line, n), Status.TOO_LONG, length, t);
        }
        return new Piece(Arrays.copyOf(line, (int) length), Status.OK, length, t);
    }

    /** Keeps the last {@link #TAIL} octets seen, to find a literal announcement at the end of a long line. */
    private static int appendTail(byte[] tail, int length, byte[] src, int off, int len) {
        if (len >= TAIL) {
            System.arraycopy(src, off + len - TAIL, tail, 0, TAIL);
            return TAIL;
        }
        int keepOld = Math.min(length, TAIL - len);
        System.arraycopy(tail, length - keepOld, tail, 0, keepOld);
        System.arraycopy(src, off, tail, keepOld, len);
        return keepOld + len;
    }

    /** Lets the buffer go when nothing is left in it, so that waiting for the next command holds none. */
    private void releaseIfDrained() {
        if (pos >= limit) {
            buf = EMPTY;
            pos = 0;
            limit = 0;
        }
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        if (buf.length > 0) { // inside a command (a long literal): read on into the buffer
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }
        // Between commands: wait for the next octet without holding a buffer (a session spends most of its
        // life here, in IDLE or waiting for its client), then take one for what has arrived with it.
        int first = in.read();
        if (first < 0) {
            return false;
        }
        buf = new byte[BUFFER];
        buf[0] = (byte) first;
        pos = 0;
        int more = Math.min(in.available(), BUFFER - 1);
        int n = more > 0 ? in.read(buf, 1, more) : 0;
        limit = 1 + Math.max(n, 0);
        return true;
    }

    /** {@code "{" number64 ["+"] "}"} or {@code "~{" number64 ["+"] "}"} at the end of a piece, else null. */
    private static Ann announcement(byte[] b, int n) {
        if (n < 3 || b[n - 1] != '}') {
            return null;
        }
        int i = n - 2;
        boolean sync = b[i] != '+';
        if (!sync) {
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && Syntax.isDigit(b[i])) {
            i--;
        }
        if (i < 0 || i + 1 == digitsEnd || b[i] != '{') {
            return null;
        }
        long size = 0;
        for (int k = i + 1; k < digitsEnd; k++) {
            size = size > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : size * 10 + (b[k] - '0');
        }
        boolean binary = i > 0 && b[i - 1] == '~';
        return new Ann(binary ? i - 1 : i, size, sync, binary);
    }

    /** The tag of a command line, or null when it does not start with a valid tag and a space. */
    private static String tagOf(byte[] line) {
        int i = 0;
        while (i < line.length && Syntax.isTagChar(line[i])) {
            i++;
        }
        if (i == 0 || i >= line.length || line[i] != ' ') {
            return null;
        }
        return new String(line, 0, i, StandardCharsets.US_ASCII);
    }

    /** The command word in upper case, or null. */
    private static String commandOf(byte[] line) {
        int sp = 0;
        while (sp < line.length && line[sp] != ' ') {
            sp++;
        }
        int i = sp + 1;
        while (i < line.length && Syntax.isAtomChar(line[i])) {
            i++;
        }
        if (i <= sp + 1 || i - sp - 1 > 32) {
            return null; // no command is longer; this is not one
        }
        return Syntax.upper(new String(line, sp + 1, i - sp - 1, StandardCharsets.US_ASCII));
    }
}
