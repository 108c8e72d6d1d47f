package org.postwerk.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.postwerk.queue.QueueEntry;
import org.postwerk.queue.RecipientState;

/** The few lines of JSON output the CLI needs (no JSON library on the runtime class path). */
final class Json {
    private Json() {}

    static String entries(List<QueueEntry> entries, Instant now) {
        return entries.stream().map(e -> entry(e, now)).collect(Collectors.joining(",\n ", "[", "]"));
    }

    private static String entry(QueueEntry e, Instant now) {
        return "{\"id\":" + str(e.id()) + ",\"age_seconds\":" + Duration.between(e.envelope().received(), now).toSeconds()
                + ",\"size\":" + e.size() + ",\"sender\":" + str(e.envelope().sender().map(Object::toString).orElse(""))
                + ",\"held\":" + e.held() + ",\"last_error\":" + str(e.lastError()) + ",\"recipients\":"
                + e.recipients().stream().map(Json::recipient).collect(Collectors.joining(",", "[", "]")) + "}";
    }

    private static String recipient(RecipientState r) {
        return "{\"address\":" + str(r.recipient().address().toString()) + ",\"status\":"
                + str(r.state().word()) + ",\"attempts\":" + r.attempts() + ",\"next_attempt\":"
                + str(r.nextAttempt().map(Instant::toString).orElse(null)) + ",\"last_reply\":"
                + str(r.reason().map(x -> x.reply().toString()).orElse(null)) + "}";
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
