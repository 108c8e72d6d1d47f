package org.postwerk.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text layout writes what logback's pattern layout writes for the pattern it replaces. */
class TextLineLayoutTest {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg%n";
    private final LoggerContext context = new LoggerContext();

    @Test
    void sameLinesAsLogbacksPattern() {
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern(PATTERN);
        pattern.start();
        TextLineLayout text = new TextLineLayout();
        text.setContext(context);
        text.start();
        List<ILoggingEvent> events = new ArrayList<>();
        long[] times = {0, 999, 1_000, 1_001, 1_764_800_000_005L, 1_764_800_000_050L, 1_764_800_000_500L,
            1_764_800_001_000L, 1_764_800_001_000L, 1_751_328_000_123L, 1_735_689_599_999L};
        Level[] levels = {Level.INFO, Level.WARN, Level.ERROR, Level.DEBUG, Level.TRACE};
        String[] loggers = {"postwerk.mail", "org.postwerk.smtp.server.SmtpSession", "Plain", "a.b."};
        for (int i = 0; i < times.length; i++) {
            LoggingEvent e = new LoggingEvent("x", context.getLogger(loggers[i % loggers.length]),
                    levels[i % levels.length], "received id={} size={}", i % 3 == 0 ? new IllegalStateException("no room",
                            new java.io.IOException("disk full")) : null, new Object[] {"abc" + i, i * 1000});
            e.setTimeStamp(times[i]);
            events.add(e);
        }
        for (ILoggingEvent e : events) {
            assertThat(text.doLayout(e)).isEqualTo(pattern.doLayout(e));
        }
    }

    @Test
    void theConfiguratorSendsTextToStandardErrorAtTheGivenLevel() {
        LogConfigurator.configure(context, "warn");
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.xbill.DNS.Lookup").getEffectiveLevel()).isEqualTo(Level.WARN);
        Appender<ILoggingEvent> stderr = root.getAppender("STDERR");
        assertThat(stderr).isInstanceOf(BatchedStderrAppender.class);
        assertThat(stderr.isStarted()).isTrue();
        stderr.stop();

        LoggerContext other = new LoggerContext();
        LogConfigurator.configure(other, "no such level");
        assertThat(other.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
        other.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR").stop();
    }
}
