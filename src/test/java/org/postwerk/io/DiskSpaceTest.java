package org.postwerk.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {
    private final AtomicLong free = new AtomicLong();
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger reads = new AtomicInteger();

    private DiskSpace disk(long reserve) {
        return new DiskSpace(() -> {
            reads.incrementAndGet();
            return free.get();
        }, reserve, Duration.ofSeconds(1), now::get);
    }

    @Test
    void theReserveStaysFreeAfterTheAnnouncedSize() {
        free.set(10_000);
        DiskSpace disk = disk(1_000);
        assertThat(disk.hasRoomFor(0)).isTrue();
        assertThat(disk.hasRoomFor(9_000)).isTrue();
        assertThat(disk.hasRoomFor(9_001)).isFalse();
        assertThat(disk.hasRoomFor(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void theFigureIsReadAtMostOncePerMaxAge() {
        free.set(10_000);
        DiskSpace disk = disk(1_000);
        for (int i = 0; i < 1000; i++) {
            assertThat(disk.hasRoomFor(0)).isTrue();
        }
        assertThat(reads).hasValue(1);
        free.set(500); // the disk filled up: seen once the reading is a second old
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(disk.hasRoomFor(0)).isTrue();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(disk.hasRoomFor(0)).isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFigureThatCannotBeReadCountsAsRoom() {
        DiskSpace disk = new DiskSpace(() -> {
            throw new IOException("statvfs failed");
        }, 1_000, Duration.ofSeconds(1), now::get);
        assertThat(disk.hasRoomFor(1 << 20)).isTrue();
    }

    @Test
    void theRealFileSystem(@TempDir Path dir) throws IOException {
        assertThat(DiskSpace.of(dir, 1).hasRoomFor(0)).isTrue();
        assertThat(DiskSpace.of(dir, Long.MAX_VALUE).hasRoomFor(0)).isFalse();
    }
}
