package org.postwerk.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.LogConfig;
import org.slf4j.LoggerFactory;

/** The log chosen at start: environment over file, JSON lines, a log file that SIGUSR1's reopen follows. */
class LogSetupTest {
    @TempDir
    Path dir;
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<Appender<ILoggingEvent>> saved = new ArrayList<>();
    private Level savedLevel;

    @BeforeEach
    void save() {
        root.iteratorForAppenders().forEachRemaining(saved::add);
        savedLevel = root.getLevel();
    }

    @AfterEach
    void restore() {
        root.detachAndStopAllAppenders();
        saved.forEach(a -> {
            a.start();
            root.addAppender(a);
        });
        root.setLevel(savedLevel);
    }

    @Test
    void theEnvironmentWinsAndBadValuesAreIgnoredAndSaid() {
        LogConfig file = new LogConfig(Optional.of(dir.resolve("a.log")), LogConfig.Format.TEXT, "INFO");

        LogSetup.Settings s = LogSetup.resolve(file, Map.of("POSTWERK_LOG_LEVEL", "debug",
                "POSTWERK_LOG_FORMAT", "json", "POSTWERK_LOG_FILE", "/tmp/b.log"));
        assertThat(s).isEqualTo(new LogSetup.Settings(Optional.of(Path.of("/tmp/b.log")), LogConfig.Format.JSON,
                "DEBUG", ""));

        LogSetup.Settings bad = LogSetup.resolve(file, Map.of("POSTWERK_LOG_LEVEL", "loud", "POSTWERK_LOG_FORMAT", "xml"));
        assertThat(bad.level()).isEqualTo("INFO");
        assertThat(bad.format()).isEqualTo(LogConfig.Format.TEXT);
        assertThat(bad.problems()).contains("POSTWERK_LOG_LEVEL", "POSTWERK_LOG_FORMAT must be text or json");
        assertThat(LogSetup.resolve(LogConfig.DEFAULTS, Map.of()))
                .isEqualTo(new LogSetup.Settings(Optional.empty(), LogConfig.Format.TEXT, "INFO", ""));
    }

    @Test
    void jsonLinesIntoAFileThatIsReopenedAfterRotation() throws Exception {
        Path log = dir.resolve("postwerk.log");
        LogSetup.apply(new LogSetup.Settings(Optional.of(log), LogConfig.Format.JSON, "INFO", ""));
        org.slf4j.Logger mail = LoggerFactory.getLogger("postwerk.mail");

        mail.info("received session=s1 id=Q1 helo=\"a\\b\" message-id=<m@x>");
        mail.debug("not written at INFO");
        flush();
        Files.move(log, dir.resolve("postwerk.log.1")); // what logrotate does
        mail.info("sent id=Q1 before the signal"); // still into the moved file
        LogSetup.reopen();
        mail.info("sent id=Q1 after the signal");
        flush();

        List<String> rotated = Files.readAllLines(dir.resolve("postwerk.log.1"));
        assertThat(rotated.getFirst()).matches("\\{\"ts\":\"[^\"]+\",\"level\":\"INFO\",\"logger\":\"postwerk.mail\","
                + "\"thread\":\"[^\"]+\",\"msg\":\"received session=s1 id=Q1 helo=\\\\\"a\\\\\\\\b\\\\\" message-id=<m@x>\"\\}");
        assertThat(rotated).hasSize(2).noneMatch(l -> l.contains("not written"));
        assertThat(Files.readAllLines(log)).anyMatch(l -> l.contains("after the signal"))
                .noneMatch(l -> l.contains("before the signal"));
    }

    private void flush() {
        root.iteratorForAppenders().forEachRemaining(a -> ((BatchedStderrAppender<?>) a).flush());
    }

    @Test
    void anUnwritableLogFileIsSaidAtStart() {
        Path missing = dir.resolve("no/such/folder/postwerk.log");

        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> LogSetup.apply(
                new LogSetup.Settings(Optional.of(missing), LogConfig.Format.TEXT, "INFO", "")));

        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining(missing.toString());
        assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("ROOT").iteratorForAppenders())
                .toIterable().isNotEmpty(); // the old appender is still there
    }
}
