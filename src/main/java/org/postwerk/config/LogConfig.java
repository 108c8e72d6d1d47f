package org.postwerk.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The log ({@code [log]}). {@code file}: write the log there instead of standard error (reopened on SIGUSR1,
 * for logrotate; {@code postwerk trace} reads it); {@code format}: {@code text}, one {@code key=value} line per
 * event, or {@code json}, one JSON object per line; {@code level}: the least severe level written. The
 * environment variables {@code POSTWERK_LOG_FILE}, {@code POSTWERK_LOG_FORMAT} and {@code POSTWERK_LOG_LEVEL}
 * override these at start.
 */
public record LogConfig(Optional<Path> file, Format format, String level) {
    public static final LogConfig DEFAULTS = new LogConfig(Optional.empty(), Format.TEXT, "INFO");
    static final List<String> LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    public enum Format { TEXT, JSON }

    public LogConfig {
        Objects.requireNonNull(file);
        Objects.requireNonNull(format);
        Objects.requireNonNull(level);
    }

    /** A level name, any case: error, warn, info, debug or trace. */
    public static String level(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(upper)) {
            throw new IllegalArgumentException("must be one of error, warn, info, debug, trace, got \"" + text + "\"");
        }
        return upper;
    }
}
