package org.postwerk.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postwerk.config.LogConfig;
import org.slf4j.LoggerFactory;

/**
 * Chooses the log's destination, format and level at start, from {@code [log]} and the environment
 * ({@code POSTWERK_LOG_FILE}, {@code POSTWERK_LOG_FORMAT}, {@code POSTWERK_LOG_LEVEL}, which win: they are for
 * a one-off run). {@link LogConfigurator} has set up standard error in text by then; this replaces the root
 * logger's appender only when a file or JSON is asked for. {@link #reopen} serves SIGUSR1.
 */
public final class LogSetup {
    private static volatile BatchedStderrAppender<ILoggingEvent> fileAppender;

    private LogSetup() {}

    /** What is in force after the environment had its say; {@code problems} are environment values ignored. */
    public record Settings(Optional<Path> file, LogConfig.Format format, String level, String problems) {}

    /** {@code config} overridden by the environment variables that are set and valid. */
    public static Settings resolve(LogConfig config, Map<String, String> env) {
        StringBuilder problems = new StringBuilder();
        Optional<Path> file = Optional.ofNullable(env.get("POSTWERK_LOG_FILE")).filter(s -> !s.isBlank())
                .map(Path::of).or(config::file);
        LogConfig.Format format = config.format();
        String f = env.get("POSTWERK_LOG_FORMAT");
        if (f != null && !f.isBlank()) {
            try {
                format = LogConfig.Format.valueOf(f.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.append("POSTWERK_LOG_FORMAT must be text or json, got \"").append(f).append("\"; ");
            }
        }
        String level = config.level();
        String l = env.get("POSTWERK_LOG_LEVEL");
        if (l != null && !l.isBlank()) {
            try {
                level = LogConfig.level(l.trim());
            } catch (IllegalArgumentException e) {
                problems.append("POSTWERK_LOG_LEVEL ").append(e.getMessage()).append("; ");
            }
        }
        return new Settings(file, format, level, problems.toString());
    }

    /** Puts {@code s} in force for the whole process. */
    public static void apply(Settings s) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration rules
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(s.level(), Level.INFO));
        if (s.file().isPresent() || s.format() == LogConfig.Format.JSON) {
            BatchedStderrAppender<ILoggingEvent> appender = s.file().isPresent()
                    ? new BatchedStderrAppender<>(s.file().get().toAbsolutePath()) : new BatchedStderrAppender<>();
            appender.setContext(context);
            appender.setName(s.file().isPresent() ? "FILE" : "STDERR");
            appender.setEncoder(encoder(context, s.format()));
            appender.start();
            if (!appender.isStarted()) {
                throw new IllegalStateException("cannot open the log file " + s.file().orElseThrow()
                        + " (does its folder exist, may this user write there?)");
            }
            root.detachAndStopAllAppenders();
            root.addAppender(appender);
            fileAppender = s.file().isPresent() ? appender : null;
        }
        if (!s.problems().isEmpty()) {
            LoggerFactory.getLogger(LogSetup.class).warn("ignored: {}", s.problems());
        }
    }

    static Encoder<ILoggingEvent> encoder(LoggerContext context, LogConfig.Format format) {
        LayoutBase<ILoggingEvent> layout =
                format == LogConfig.Format.JSON ? new JsonLineLayout() : new TextLineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> e = new LayoutWrappingEncoder<>();
        e.setContext(context);
        e.setLayout(layout);
        e.setCharset(StandardCharsets.UTF_8);
        e.start();
        return e;
    }

    /** Reopens the log file, if the log goes to one (SIGUSR1, after logrotate moved it). */
    public static void reopen() {
        BatchedStderrAppender<ILoggingEvent> a = fileAppender;
        if (a != null) {
            a.reopen();
            LoggerFactory.getLogger(LogSetup.class).info("log file reopened");
        }
    }

    /**
     * SIGUSR1 reopens the log file. {@code sun.misc.Signal} (module jdk.unsupported) is the only way the JDK
     * offers; where the signal cannot be handled the server runs on, and says so.
     */
    @SuppressWarnings("restriction")
    public static void reopenOnSignal() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> Thread.ofVirtual().start(LogSetup::reopen));
        } catch (IllegalArgumentException e) {
            LoggerFactory.getLogger(LogSetup.class).warn("SIGUSR1 cannot reopen the log here: {}", e.getMessage());
        }
    }
}
