package org.postwerk.imap;

import java.io.IOException;
import java.io.OutputStream;
import org.postwerk.io.SpillBuffer;

/**
 * The octets of one literal a client sent (RFC 9051 §4.3): small ones in memory, large ones (APPEND content)
 * in a {@link SpillBuffer} so that memory per session stays bounded. {@code binary} marks a literal8
 * ({@code ~{n}}, RFC 3516 §4.3), which may hold NUL octets. Close to free a spilled literal.
 */
public sealed interface Literal extends AutoCloseable permits Literal.Bytes, Literal.Spilled {
    long size();

    boolean binary();

    /** Copies the octets to {@code out}. */
    void writeTo(OutputStream out) throws IOException;

    @Override
    void close();

    record Bytes(byte[] octets, boolean binary) implements Literal {
        @Override
        public long size() {
            return octets.length;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            out.write(octets);
        }

        @Override
        public void close() {}

        /** Size only: literals hold passwords and mail, which never go to a log. */
        @Override
        public String toString() {
            return "Bytes[size=" + octets.length + ", binary=" + binary + "]";
        }
    }

    record Spilled(SpillBuffer buffer, long size, boolean binary) implements Literal {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            buffer.writeTo(out);
        }

        @Override
        public void close() {
            buffer.close();
        }

        @Override
        public String toString() {
            return "Spilled[size=" + size + ", binary=" + binary + "]";
        }
    }
}
