package org.postwerk.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Log lines are gathered, then written within a flush interval, at flushAll, and at stop; none is lost. */
class BatchedStderrAppenderTest {
    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Test
    void linesAreGatheredNotWrittenOneByOne() {
        BatchedStderrAppender<ILoggingEvent> appender = started(3_600_000);
        appender.doAppend(event("one"));
        appender.doAppend(event("two"));
        assertThat(text()).isEmpty();
        appender.stop();
        assertThat(text()).isEqualTo("one\ntwo\n");
    }

    @Test
    void linesAreWrittenWithinTheFlushInterval() throws Exception {
        BatchedStderrAppender<ILoggingEvent> appender = started(BatchedStderrAppender.FLUSH_MILLIS);
        appender.doAppend(event("one"));
        appender.doAppend(event("two"));

        long deadline = System.nanoTime() + 2_000_000_000L;
        while (text().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(text()).isEqualTo("one\ntwo\n");
        appender.stop();
    }

    @Test
    void flushAllAndStopWriteWhatIsGathered() {
        BatchedStderrAppender<ILoggingEvent> appender = started(3_600_000);
        appender.doAppend(event("before exit"));
        BatchedStderrAppender.flushAll();
        assertThat(text()).isEqualTo("before exit\n");

        appender.doAppend(event("at stop"));
        appender.stop();
        assertThat(text()).isEqualTo("before exit\nat stop\n");
    }

    private BatchedStderrAppender<ILoggingEvent> started(long flushMillis) {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        BatchedStderrAppender<ILoggingEvent> appender = new BatchedStderrAppender<>(written, flushMillis);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    private ILoggingEvent event(String message) {
        return new LoggingEvent("test", context.getLogger("test"), Level.INFO, message, null, null);
    }

    private String text() {
        synchronized (written) {
            return written.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
        }
    }
}
