package org.postwerk.auth.dkim;

import java.util.Arrays;

/**
 * Splits a streamed message into its header block (collected, bounded) and its body (passed on as it comes),
 * in any chunking. The header ends at the first empty line (RFC 5322 §2.1); a message without one is all header.
 */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's header/body split)
public final class MessageSplitter {
    /** Receives the body and learns when the header is complete. */
    public interface Sink {
        /** Called once, before any body bytes; {@code overflow} when the header exceeded the bound. */
        void header(HeaderFields fields, boolean overflow);

        void body(byte[] b, int off, int len);

        /** A sink from two lambdas: what to do with the header, and with each piece of body. */
        static Sink of(java.util.function.BiConsumer<HeaderFields, Boolean> header, Feed.Update body) {
            return new Sink() {
                @Override
                public void header(HeaderFields fields, boolean overflow) {
                    header.accept(fields, overflow);
                }

                @Override
                public void body(byte[] b, int off, int len) {
                    body.update(b, off, len);
                }
            };
        }
    }

    private final int maxHeaderBytes;
    private final Sink sink;
    private byte[] header = new byte[4096];
    private int headerLength;
    private boolean overflow;
    private boolean inBody;
    private int lineLength; // bytes of the current header line so far
    private boolean lineStartsWithCr;

    public MessageSplitter(int maxHeaderBytes, Sink sink) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.sink = sink;
    }

    public void update(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (!inBody && i < end) {
            byte c = b[i++];
            if (c == '\n' && lineLength == 1 && lineStartsWithCr) {
                startBody(); // the empty line: not part of the header nor of the body
            } else if (c == '\n') {
                store(c);
                lineLength = 0;
            } else {
                if (lineLength == 0) {
                    lineStartsWithCr = c == '\r';
                }
                lineLength++;
                store(c);
            }
        }
        if (inBody && i < end) {
            sink.body(b, i, end - i);
        }
    }

    /** Ends the message; a message that never reached its body gets the header now and an empty body. */
    public void finish() {
        if (!inBody) {
            if (lineLength > 0 && !overflow) {
                store((byte) '\r');
                store((byte) '\n'); // a last header line without CRLF
            }
            lineLength = 0;
            startBody();
        }
    }

    private void startBody() {
        inBody = true;
        int length = lineLength == 1 && lineStartsWithCr ? headerLength - 1 : headerLength; // drop the empty line's CR
        sink.header(HeaderFields.parse(header, Math.max(0, length)), overflow);
        header = null;
    }

    private void store(byte c) {
        if (headerLength == maxHeaderBytes) {
            overflow = true;
            return;
        }
        if (headerLength == header.length) {
            header = Arrays.copyOf(header, Math.min(maxHeaderBytes, header.length * 2));
        }
        header[headerLength++] = c;
    }
}
