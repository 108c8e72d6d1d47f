package org.postwerk.mailbox.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.mailbox.DecodedCache;

class CacheFileTest {
    @TempDir
    Path dir;

    private final DecodedCache memory = new DecodedCache(1 << 20);

    @Test
    void keepsDecodedFormsInMemoryUntilClosed() {
        CacheFile c = new CacheFile(dir, 7, memory);
        Object decoded = new Object();
        c.decoded(1, decoded, 100);
        assertThat(c.decoded(1)).isSameAs(decoded);
        assertThat(c.decoded(2)).isNull();
        try (CacheFile other = new CacheFile(dir.resolve("other"), 7, memory)) {
            assertThat(other.decoded(1)).isNull(); // another folder's message 1
        }
        c.close();
        assertThat(c.decoded(1)).isNull();
        assertThat(memory.bytes()).isZero();
    }

    @Test
    void keepsEntriesAcrossReopensAndDropsATornTail() throws Exception {
        try (CacheFile c = new CacheFile(dir, 7, memory)) {
            c.put(1, "one".getBytes(StandardCharsets.US_ASCII));
            c.put(2, "two".getBytes(StandardCharsets.US_ASCII));
            c.put(1, "uno".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(c.get(1), StandardCharsets.US_ASCII)).isEqualTo("uno");
        }
        Files.write(dir.resolve(CacheFile.NAME), new byte[] {0, 0, 0, 0, 0, 0, 0, 3, 0, 0}, StandardOpenOption.APPEND);
        try (CacheFile c = new CacheFile(dir, 7, memory)) {
            assertThat(new String(c.get(1), StandardCharsets.US_ASCII)).isEqualTo("uno");
            assertThat(new String(c.get(2), StandardCharsets.US_ASCII)).isEqualTo("two");
            assertThat(c.get(3)).isNull();
            c.put(3, "three".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(c.get(3), StandardCharsets.US_ASCII)).isEqualTo("three");
        }
        try (CacheFile c = new CacheFile(dir, 8, memory)) { // a new UIDVALIDITY: nothing of the old cache applies
            assertThat(c.get(1)).isNull();
        }
    }

    @Test
    void compactsWhenMostIsDead() throws Exception {
        try (CacheFile c = new CacheFile(dir, 7, memory)) {
            byte[] big = new byte[64 * 1024];
            for (int i = 1; i <= 40; i++) {
                c.put(i, big);
            }
            long before = Files.size(dir.resolve(CacheFile.NAME));
            c.retain(uid -> uid == 40);
            assertThat(Files.size(dir.resolve(CacheFile.NAME))).isLessThan(before / 10);
            assertThat(c.get(40)).hasSize(big.length);
            assertThat(c.get(1)).isNull();
        }
    }
}
