package org.postwerk.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The text log line, {@code 2026-12-03T10:15:30.123+01:00 INFO  mail received id=…}: what logback's pattern
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg%n} writes (and a stack trace after it when
 * there is one), written here instead because logback's pattern machinery (parser, converters, colours) and
 * its XML configuration are some 650 classes that every start loads and the ahead-of-time cache carries
 * (docs/performance.md, "Footprint and warm-up"). {@code postwerk trace} reads this format.
 */
public final class TextLineLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter OFFSET =
            DateTimeFormatter.ofPattern("XXX").withZone(ZoneId.systemDefault());

    /** The formatted second and zone offset of the last event: most lines fall in the same second. */
    private record Second(long epochSecond, String time, String offset) {}

    private volatile Second last = new Second(Long.MIN_VALUE, "", "");

    @Override
    public String doLayout(ILoggingEvent event) {
        long millis = event.getTimeStamp();
        long epochSecond = Math.floorDiv(millis, 1000);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            Instant at = Instant.ofEpochSecond(epochSecond);
            second = new Second(epochSecond, SECOND.format(at), OFFSET.format(at));
            last = second;
        }
        String message = event.getFormattedMessage();
        StringBuilder out = new StringBuilder(48 + (message == null ? 4 : message.length()));
        int milli = (int) Math.floorMod(millis, 1000);
        out.append(second.time()).append('.')
                .append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10))
                .append(second.offset()).append(' ');
        String level = event.getLevel().toString();
        out.append(level);
        for (int i = level.length(); i < 5; i++) {
            out.append(' ');
        }
        String logger = event.getLoggerName();
        out.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length())
                .append(' ').append(message).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            out.append(ThrowableProxyUtil.asString(error)); // ends with a line separator
        }
        return out.toString();
    }
}
