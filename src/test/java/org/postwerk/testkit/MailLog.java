package org.postwerk.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The lines of the operator mail log ({@code postwerk.mail}) written while it is open:
 * {@code try (MailLog log = MailLog.capture()) { ... log.lines() ... }}.
 */
public final class MailLog implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("postwerk.mail");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private MailLog() {
        appender.start();
        logger.addAppender(appender);
    }

    public static MailLog capture() {
        return new MailLog();
    }

    /** The messages so far, formatted. */
    public List<String> lines() {
        synchronized (appender) { // appending holds the appender's lock
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
