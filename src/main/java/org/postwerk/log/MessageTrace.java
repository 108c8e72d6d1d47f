package org.postwerk.log;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log lines of one message, for {@code postwerk trace}: found by its queue id ({@code id=…}) or its
 * Message-ID ({@code message-id=<…>}, which names the queue ids it was received under). A message's lines are
 * those with one of its queue ids (received, queued, every delivery attempt, bounced) and those of the
 * sessions that received it (connect, TLS, EHLO, refusals, disconnect), less session lines about other
 * messages. Works on text and JSON lines alike: both keep the {@code key=value} words.
 */
public final class MessageTrace {
    private static final Pattern QUEUE_ID = Pattern.compile("(?<![\\w-])id=([\\w.-]+)");
    private static final Pattern SESSION = Pattern.compile("(?<![\\w-])session=([\\w.-]+)");

    private final Set<String> ids = new LinkedHashSet<>();
    private final Set<String> sessions = new LinkedHashSet<>();

    private MessageTrace() {}

    /** Finds the queue ids and sessions of {@code wanted} (a queue id, or a Message-ID with or without {@code <>}). */
    public static MessageTrace of(String wanted, Iterable<String> lines) {
        MessageTrace t = new MessageTrace();
        String messageId = wanted.startsWith("<") ? wanted : "<" + wanted + ">";
        Pattern byId = Pattern.compile("(?<![\\w-])id=" + Pattern.quote(wanted) + "(?![\\w.-])");
        for (String line : lines) {
            if (line.contains("message-id=" + messageId) || line.contains("message-id=" + wanted + " ")
                    || byId.matcher(line).find()) {
                first(QUEUE_ID, line).ifPresent(t.ids::add);
                first(SESSION, line).ifPresent(t.sessions::add);
            }
        }
        if (t.ids.isEmpty() && !wanted.contains("@")) {
            t.ids.add(wanted); // a queue id whose received line has rotated away: its later lines still count
        }
        return t;
    }

    private static java.util.Optional<String> first(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    public Set<String> ids() {
        return Set.copyOf(ids);
    }

    /** True for a line of the message. */
    public boolean matches(String line) {
        Matcher id = QUEUE_ID.matcher(line);
        boolean ours = false;
        boolean others = false;
        while (id.find()) {
            if (ids.contains(id.group(1))) {
                ours = true;
            } else {
                others = true;
            }
        }
        return ours || (!others && first(SESSION, line).filter(sessions::contains).isPresent());
    }

    /** The lines of the message, in their order. */
    public List<String> select(Iterable<String> lines) {
        List<String> out = new ArrayList<>();
        lines.forEach(line -> {
            if (matches(line)) {
                out.add(line);
            }
        });
        return out;
    }
}
