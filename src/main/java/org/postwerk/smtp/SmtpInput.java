package org.postwerk.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The server's view of the client's byte stream: command lines (CRLF, or a bare LF too if so configured), DATA
 * with dot-unstuffing, and exact-size BDAT chunks, over one buffer. Before every blocking read it calls
 * {@link BeforeRead} (the session flushes its replies there: RFC 2920). After STARTTLS the session reads through
 * a new instance, so nothing pipelined before the TLS handshake is used (RFC 3207 §4.2).
 *
 * <p>Only {@code CRLF . CRLF} ends DATA. {@code LF . LF}, {@code LF . CRLF}, {@code CRLF . LF}, {@code CR . CR}
 * are content (RFC 5321 §4.1.1.4, the SMTP smuggling class), whatever a command line may end with; the message
 * writer then refuses the lone CR, and the lone LF too unless it is told to store it as CRLF.
 */
public final class SmtpInput {
    /** Called before every blocking read, e.g. to set the socket timeout to what remains of a deadline. */
    public interface BeforeRead {
        void beforeRead() throws IOException;
    }

    /** How a command line ended. */
    public enum LineStatus { OK, TOO_LONG, BARE_LF }

    /** What ends a command line: CRLF only (a bare LF is reported), or a bare LF too (RFC 5321 §2.3.8 aside). */
    public enum LineEnds { CRLF, CRLF_OR_LF }

    /** One command line without its line end: the first {@code length} bytes; none unless status is OK. */
    public record Line(byte[] bytes, int length, LineStatus status) {}

    private final InputStream in;
    private final LineEnds lineEnds;
    private final BeforeRead beforeRead;
    private final byte[] buf;
    private int pos;
    private int limit;

    public SmtpInput(InputStream in, int bufferSize, LineEnds lineEnds, BeforeRead beforeRead) {
        this.in = in;
        this.lineEnds = lineEnds;
        this.buf = new byte[bufferSize];
        this.beforeRead = beforeRead;
    }

    private boolean fill() throws IOException {
        if (pos < limit) {
            return true;
        }
        beforeRead.beforeRead();
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private int next() throws IOException {
        if (!fill()) {
            throw new EOFException("client closed the connection");
        }
        return buf[pos++] & 0xff;
    }

    /**
     * Reads one command line of at most {@code max} octets including CRLF (RFC 5321 §4.5.3.1.4). A longer
     * line is consumed up to its LF and reported TOO_LONG; a line ended by a bare LF is OK with
     * {@link LineEnds#CRLF_OR_LF}, else reported BARE_LF. Returns null at end of stream before any byte.
     */
    public Line readLine(int max) throws IOException {
        byte[] line = new byte[Math.min(max, 1024)];
        int n = 0;
        boolean tooLong = false;
        if (!fill()) {
            return null;
        }
        while (true) {
            int c = next();
            if (c == '\n') {
                if (tooLong) {
                    return new Line(line, 0, LineStatus.TOO_LONG);
                }
                if (n > 0 && line[n - 1] == '\r') {
                    return new Line(line, n - 1, LineStatus.OK);
                }
                return lineEnds == LineEnds.CRLF_OR_LF ? new Line(line, n, LineStatus.OK)
                        : new Line(line, 0, LineStatus.BARE_LF);
            }
            if (tooLong) {
                continue;
            }
            if (n + 1 >= max) { // +1: the LF still to come
                tooLong = true;
                continue;
            }
            if (n == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(max, line.length * 2));
            }
            line[n++] = (byte) c;
        }
    }

    /**
     * Copies DATA content to {@code out} until {@code CRLF . CRLF}, removing the leading dot of stuffed lines
     * (RFC 5321 §4.5.2). The terminating CRLF of the last line is content; the final ".CRLF" is not.
     */
    public void readData(OutputStream out) throws IOException {
        // At a line start (after CRLF, or at the very beginning) a '.' is special; nowhere else.
        boolean lineStart = true;
        boolean cr = false;
        while (true) {
            if (!fill()) {
                throw new EOFException("connection closed during DATA");
            }
            int start = pos;
            while (pos < limit) {
                byte b = buf[pos];
                if (lineStart && b == '.') {
                    out.write(buf, start, pos - start);
                    pos++; // the dot: either the end marker or stuffing, dropped both ways
                    DotFollower after = afterLineStartDot(out);
                    if (after == DotFollower.END) {
                        return;
                    }
                    lineStart = false;
                    cr = after == DotFollower.LONE_CR;
                    start = pos;
                    continue;
                }
                lineStart = cr && b == '\n';
                cr = b == '\r';
                pos++;
            }
            out.write(buf, start, pos - start);
        }
    }

    private enum DotFollower { END, LONE_CR, OTHER }

    /** After a line-start dot: CRLF ends the data; a CR without LF is content (written here). */
    private DotFollower afterLineStartDot(OutputStream out) throws IOException {
        if (!fill()) {
            throw new EOFException("connection closed during DATA");
        }
        if (buf[pos] != '\r') {
            return DotFollower.OTHER;
        }
        pos++;
        if (!fill()) {
            throw new EOFException("connection closed during DATA");
        }
        if (buf[pos] == '\n') {
            pos++;
            return DotFollower.END;
        }
        out.write('\r');
        return DotFollower.LONE_CR;
    }

    /** Copies exactly {@code size} octets (a BDAT chunk, RFC 3030) to {@code out}. */
    public void readChunk(long size, OutputStream out) throws IOException {
        long left = size;
        while (left > 0) {
            if (!fill()) {
                throw new EOFException("connection closed during BDAT");
            }
            int n = (int) Math.min(left, limit - pos);
            out.write(buf, pos, n);
            pos += n;
            left -= n;
        }
    }
}
