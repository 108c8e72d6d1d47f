package org.postwerk.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per event and line ({@code [log] format = "json"}), for log shippers:
 * {@code {"ts":"…","level":"INFO","logger":"postwerk.mail","thread":"smtp-…","msg":"received session=… id=…"}},
 * plus {@code "error"} with the stack trace when there is one. The message keeps its {@code key=value} text, so
 * {@code postwerk trace} and grep work on both formats.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"ts\":\"").append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
                .append("\",\"level\":\"").append(event.getLevel()).append("\",\"logger\":");
        string(out, event.getLoggerName()).append(",\"thread\":");
        string(out, event.getThreadName()).append(",\"msg\":");
        string(out, event.getFormattedMessage());
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            string(out.append(",\"error\":"), ThrowableProxyUtil.asString(error));
        }
        return out.append("}\n").toString();
    }

    /** A JSON string (RFC 8259 §7): quote, backslash and control characters escaped. */
    static StringBuilder string(StringBuilder out, String s) {
        out.append('"');
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
        }
        return out.append('"');
    }
}
