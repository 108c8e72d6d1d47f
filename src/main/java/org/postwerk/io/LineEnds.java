package org.postwerk.io;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Maildir files hold LF line ends (as Maildir tools, Dovecot and mail readers expect; ADR 0008) while IMAP,
 * POP3 and SMTP speak CRLF. {@link #toLf} writes a CRLF message as LF and counts both sizes;
 * {@link #toCrlf} reads a file back in CRLF form, whether it holds LF (ours) or CRLF (older stores): a LF
 * not preceded by CR becomes CRLF, anything else passes unchanged.
 */
public final class LineEnds {
    private LineEnds() {}

    /** Drops the CR of each CRLF pair; a CR not followed by LF is kept. */
    public static ToLf toLf(OutputStream out) {
        return new ToLf(out);
    }

    public static InputStream toCrlf(InputStream in) {
        return new ToCrlf(in);
    }

    public static final class ToLf extends FilterOutputStream {
        private boolean pendingCr;
        private long crlfSize;
        private long lfSize;

        ToLf(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            crlfSize += len;
            int start = off;
            int end = off + len;
            for (int i = off; i < end; i++) {
                if (pendingCr) {
                    pendingCr = false;
                    if (b[i] != '\n') {
                        emit(new byte[] {'\r'}, 0, 1); // a lone CR stays
                    }
                }
                if (b[i] == '\r') {
                    emit(b, start, i - start);
                    start = i + 1;
                    pendingCr = true;
                }
            }
            emit(b, start, end - start);
        }

        private void emit(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                out.write(b, off, len);
                lfSize += len;
            }
        }

        /** Octets received (the CRLF form's size). */
        public long crlfSize() {
            return crlfSize;
        }

        /** Octets written (the file's size), a trailing CR included once {@link #finish} ran. */
        public long lfSize() {
            return lfSize;
        }

        /** Writes a trailing lone CR, if any. Call once at the end, before reading the sizes. */
        public void finish() throws IOException {
            if (pendingCr) {
                pendingCr = false;
                emit(new byte[] {'\r'}, 0, 1);
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            finish();
            super.close();
        }
    }

    private static final class ToCrlf extends FilterInputStream {
        private boolean lastCr;
        private boolean pendingLf;

        ToCrlf(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (pendingLf) {
                pendingLf = false;
                lastCr = false;
                return '\n';
            }
            int c = in.read();
            if (c == '\n' && !lastCr) {
                pendingLf = true;
                lastCr = true;
                return '\r';
            }
            lastCr = c == '\r';
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            if (pendingLf) {
                b[off + n++] = '\n';
                pendingLf = false;
                lastCr = false;
            }
            // Read at most half the room, so every LF can become CRLF in place.
            int room = (len - n) / 2;
            if (room == 0) {
                if (n > 0) {
                    return n;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
            int got = in.read(b, off + n + room, room);
            if (got < 0) {
                return n == 0 ? -1 : n;
            }
            int src = off + n + room;
            int end = src + got;
            int dst = off + n;
            for (int i = src; i < end; i++) {
                byte c = b[i];
                if (c == '\n' && !lastCr) {
                    b[dst++] = '\r';
                }
                b[dst++] = c;
                lastCr = c == '\r';
            }
            return dst - off;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(2, n))];
            long left = n;
            while (left > 0) {
                int r = read(buf, 0, (int) Math.min(buf.length, left));
                if (r < 0) {
                    break;
                }
                left -= r;
            }
            return n - left;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
