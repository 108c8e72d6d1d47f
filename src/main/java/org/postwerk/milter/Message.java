package org.postwerk.milter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.postwerk.io.SpillBuffer;

/**
 * The message as the milters have changed it so far: the received content (never copied), its header section as
 * edited, and the body as replaced (in memory; a milter that replaces a body sends it whole anyway). Each milter
 * sees the message as the milters before it left it, as in Postfix.
 */
final class Message {
    private final SpillBuffer received;
    private final long headerLength;
    private HeaderSection headers;
    private byte[] body;
    private boolean changed;

    private Message(SpillBuffer received, long headerLength, HeaderSection headers) {
        this.received = received;
        this.headerLength = headerLength;
        this.headers = headers;
    }

    static Message of(SpillBuffer received) throws IOException {
        HeaderSection.Reader reader = new HeaderSection.Reader();
        try {
            received.writeTo(new OutputStream() {
                public void write(int b) {
                    reader.write(b);
                }

                public void write(byte[] b, int off, int len) throws IOException {
                    if (reader.done()) {
                        throw Stop.INSTANCE; // the body is not needed here
                    }
                    reader.write(b, off, len);
                }
            });
        } catch (Stop s) {
            // the header section is complete
        }
        return new Message(received, reader.length(), reader.section());
    }

    HeaderSection headers() {
        return headers;
    }

    /** Header edits apply to a copy, made the first time. */
    HeaderSection editableHeaders() {
        if (!changed) {
            headers = headers.copy();
            changed = true;
        }
        return headers;
    }

    void replaceBody(byte[] newBody) {
        body = newBody;
        changed = true;
    }

    boolean changed() {
        return changed;
    }

    /** The body as it is now, in chunks of at most {@code chunk} bytes. */
    void bodyTo(Chunks sink, int chunk) throws IOException {
        ChunkStream chunks = new ChunkStream(sink, chunk);
        try {
            if (body != null) {
                chunks.write(body, 0, body.length);
            } else {
                received.writeTo(new Skip(chunks, headerLength));
            }
            chunks.flush();
        } catch (Stop s) {
            // the milter wants no more
        }
    }

    void writeTo(OutputStream out) throws IOException {
        headers.writeTo(out);
        if (body != null) {
            out.write(body);
        } else {
            received.writeTo(new Skip(out, headerLength));
        }
    }

    interface Chunks {
        /** Takes one chunk; false to stop. */
        boolean take(byte[] chunk) throws IOException;
    }

    /** Normalises a replaced body's bare LF to CRLF (RFC 5322 §2.3: lines end with CRLF in our store). */
    static byte[] crlf(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n' && (i == 0 || body[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(body[i]);
        }
        return out.toByteArray();
    }

    /** Ends a {@code writeTo} early: a control-flow signal, not an error. */
    private static final class Stop extends IOException {
        static final Stop INSTANCE = new Stop();

        private Stop() {
            super("stop");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final class ChunkStream extends OutputStream {
        private final Chunks sink;
        private final byte[] buf;
        private int n;

        ChunkStream(Chunks sink, int size) {
            this.sink = sink;
            this.buf = new byte[size];
        }

        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
                if (n == buf.length) {
                    flush();
                }
            }
        }

        public void flush() throws IOException {
            if (n > 0) {
                byte[] chunk = java.util.Arrays.copyOf(buf, n);
                n = 0;
                if (!sink.take(chunk)) {
                    throw Stop.INSTANCE;
                }
            }
        }
    }

    /** Passes on what comes after the first {@code skip} bytes. */
    private static final class Skip extends OutputStream {
        private final OutputStream out;
        private long skip;

        Skip(OutputStream out, long skip) {
            this.out = out;
            this.skip = skip;
        }

        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        public void write(byte[] b, int off, int len) throws IOException {
            int k = (int) Math.min(skip, len);
            skip -= k;
            if (len > k) {
                out.write(b, off + k, len - k);
            }
        }
    }
}
