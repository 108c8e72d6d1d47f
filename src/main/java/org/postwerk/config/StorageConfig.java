package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How accepted mail is made durable. {@code journal}: through the write-ahead journal (group commit, ADR 0007)
 * rather than an fsync of every file and directory; {@code checkpoint}: how often the journal is emptied into
 * durable files, or sooner when it holds {@code checkpointSize} bytes; {@code journalMaxMessage}: larger
 * messages are fsync'd in place instead; {@code minFree}: the free space the data folder's file system keeps
 * (below it, and below it plus a message's announced SIZE, mail is refused with 452 4.3.1 at MAIL or RCPT).
 */
public record StorageConfig(boolean journal, Duration checkpoint, long checkpointSize, long journalMaxMessage,
                            long minFree) {
    public static final StorageConfig DEFAULTS =
            new StorageConfig(true, Duration.ofSeconds(30), 256L << 20, 1L << 20, 100L << 20);

    public StorageConfig {
        Objects.requireNonNull(checkpoint);
    }
}
