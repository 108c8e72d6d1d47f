package org.postwerk.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillBufferTest {
    @TempDir
    Path dir;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void smallContentStaysInMemory() throws Exception {
        byte[] data = random(1000);
        try (SpillBuffer buffer = new SpillBuffer(dir.resolve("spill"), 4096)) {
            buffer.write(data, 0, 600);
            buffer.write(data, 600, 400);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            buffer.writeTo(out);
            assertThat(out.toByteArray()).isEqualTo(data);
            assertThat(buffer.size()).isEqualTo(1000);
        }
        assertThat(dir.resolve("spill")).doesNotExist();
    }

    @Test
    void largeContentSpillsToAFileThatIsDeletedOnClose() throws Exception {
        byte[] data = random(100_000);
        SpillBuffer buffer = new SpillBuffer(dir.resolve("spill"), 4096);
        for (int i = 0; i < data.length; i += 777) {
            buffer.write(data, i, Math.min(777, data.length - i));
        }
        try (var files = Files.list(dir.resolve("spill"))) {
            assertThat(files.count()).isEqualTo(1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(data);
        buffer.close();
        try (var files = Files.list(dir.resolve("spill"))) {
            assertThat(files.count()).isZero();
        }
    }
}
