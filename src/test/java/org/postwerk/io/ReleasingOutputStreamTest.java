package org.postwerk.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReleasingOutputStreamTest {
    /** Counts the writes that reach the stream below: buffering must still batch small writes. */
    static final class Below extends ByteArrayOutputStream {
        int writes;
        int flushes;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void smallWritesAreBatchedUntilTheFlush() throws IOException {
        Below below = new Below();
        ReleasingOutputStream out = new ReleasingOutputStream(below, 16);
        out.write("* 1 EXISTS\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write('x');
        assertThat(below.size()).isZero();
        out.flush();
        assertThat(below.toString(StandardCharsets.US_ASCII)).isEqualTo("* 1 EXISTS\r\nx");
        assertThat(below.writes).isEqualTo(1);
        assertThat(below.flushes).isEqualTo(1);
    }

    @Test
    void aFullBufferIsSentAndLargeWritesGoStraightThroughInOrder() throws IOException {
        Below below = new Below();
        ReleasingOutputStream out = new ReleasingOutputStream(below, 8);
        out.write("abcdef".getBytes(StandardCharsets.US_ASCII));
        out.write("ghij".getBytes(StandardCharsets.US_ASCII)); // does not fit: abcdef goes first
        out.write("0123456789".getBytes(StandardCharsets.US_ASCII)); // larger than the buffer
        for (char c : "klmnopqrs".toCharArray()) {
            out.write(c);
        }
        out.flush();
        assertThat(below.toString(StandardCharsets.US_ASCII)).isEqualTo("abcdefghij0123456789klmnopqrs");
    }

    @Test
    void writingAfterAFlushTakesANewBuffer() throws IOException {
        Below below = new Below();
        ReleasingOutputStream out = new ReleasingOutputStream(below, 8);
        out.write('a');
        out.flush();
        out.flush(); // nothing buffered: nothing written
        out.write("bc".getBytes(StandardCharsets.US_ASCII), 0, 2);
        out.close();
        assertThat(below.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
        assertThat(below.writes).isEqualTo(2);
    }
}
