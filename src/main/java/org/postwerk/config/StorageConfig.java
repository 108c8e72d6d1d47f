package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How accepted mail is made durable. {@code journal}: through the write-ahead journal (group commit, ADR 0007)
 * rather than an fsync of every file and directory; {@code checkpoint}: how often the journal is emptied into
 * durable files, or sooner when it holds {@code checkpointSize} bytes; {@code journalMaxMessage}: larger
 * messages are fsync'd in place instead.
 */
public record StorageConfig(boolean journal, Duration checkpoint, long checkpointSize, long journalMaxMessage) {
    public static final StorageConfig DEFAULTS =
            new StorageConfig(true, Duration.ofSeconds(30), 256L << 20, 1L << 20);

    public StorageConfig {
        Objects.requireNonNull(checkpoint);
    }
}
