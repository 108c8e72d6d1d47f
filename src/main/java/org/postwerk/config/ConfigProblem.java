package org.postwerk.config;

/**
 * One thing wrong with a configuration file: where ({@code line} 0 when no line applies), which key (dotted
 * path such as {@code limits.recipients}, empty for the file as a whole) and what is wrong.
 */
public record ConfigProblem(String source, int line, String key, String message) {
    /** {@code postwerk.toml:12: limits.recipients: must be between 1 and 100000, got 0}. */
    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
