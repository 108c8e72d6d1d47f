package org.postwerk.queue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Ret;

/**
 * The envelope file: {@code key: value} lines an operator can read, one block per recipient with its state
 * indented under it. Values escape backslash, CR and LF ({@code \\ \r \n}) so a multi-line reply stays on one
 * line. Parsing is strict: anything unexpected is a {@link Corrupt} and the entry is set aside.
 */
final class EntryCodec {
    /** The file cannot be understood. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message);
        }
    }

    private EntryCodec() {}

    static byte[] encode(QueueEntry e) {
        Envelope env = e.envelope();
        StringBuilder sb = new StringBuilder(512);
        line(sb, "", "id", env.id());
        line(sb, "", "sender", env.reversePath());
        line(sb, "", "received", env.received().toString());
        line(sb, "", "body", env.body().name());
        line(sb, "", "smtputf8", Boolean.toString(env.smtputf8()));
        line(sb, "", "ret", env.ret() == null ? null : env.ret().name());
        line(sb, "", "envid", env.envid());
        line(sb, "", "auth-user", env.authUser());
        line(sb, "", "client", env.client());
        line(sb, "", "held", Boolean.toString(e.held()));
        for (RecipientState r : e.recipients()) {
            line(sb, "", "recipient", r.recipient().address().toString());
            Set<Notify> n = r.recipient().notifyOn();
            line(sb, "  ", "notify", n.isEmpty() ? null : String.join(",", n.stream().sorted().map(Enum::name).toList()));
            line(sb, "  ", "orcpt", r.recipient().orcpt());
            line(sb, "  ", "status", r.status().name().toLowerCase());
            line(sb, "  ", "attempts", Integer.toString(r.attempts()));
            line(sb, "  ", "next-attempt", r.nextAttempt().toString());
            line(sb, "  ", "last-reply", r.lastReply());
            line(sb, "  ", "remote-mta", r.remoteMta());
            line(sb, "  ", "command", r.command());
            line(sb, "  ", "reported", Boolean.toString(r.reported()));
            line(sb, "  ", "delay-warned", Boolean.toString(r.delayWarned()));
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder sb, String indent, String key, String value) {
        if (value != null) {
            sb.append(indent).append(key).append(": ").append(escape(value)).append('\n');
        }
    }

    static QueueEntry decode(byte[] bytes, long size) throws Corrupt {
        Map<String, String> top = new LinkedHashMap<>();
        List<Map<String, String>> rcpts = new ArrayList<>();
        for (String raw : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (raw.isBlank()) {
                continue;
            }
            int colon = raw.indexOf(": ");
            if (colon < 0) {
                throw new Corrupt("line without 'key: value': " + raw);
            }
            String key = raw.substring(0, colon).strip();
            String value = unescape(raw.substring(colon + 2));
            if (key.equals("recipient")) {
                rcpts.add(new LinkedHashMap<>(Map.of(key, value)));
            } else if (raw.startsWith(" ")) {
                if (rcpts.isEmpty()) {
                    throw new Corrupt("recipient field before any recipient: " + raw);
                }
                rcpts.getLast().put(key, value);
            } else {
                top.put(key, value);
            }
        }
        try {
            return build(top, rcpts, size);
        } catch (RuntimeException | AddressParser.SyntaxError ex) {
            throw new Corrupt("bad value: " + ex.getMessage());
        }
    }

    private static QueueEntry build(Map<String, String> top, List<Map<String, String>> rcpts, long size)
            throws Corrupt, AddressParser.SyntaxError {
        List<RecipientState> states = new ArrayList<>();
        for (Map<String, String> m : rcpts) {
            states.add(recipient(m));
        }
        if (states.isEmpty()) {
            throw new Corrupt("no recipients");
        }
        String sender = require(top, "sender");
        Optional<Mailbox> from = AddressParser.parsePath(sender, 0, true).mailbox();
        Envelope env = new Envelope(require(top, "id"), from, states.stream().map(RecipientState::recipient).toList(),
                BodyType.valueOf(require(top, "body")), Boolean.parseBoolean(top.get("smtputf8")),
                top.containsKey("ret") ? Ret.valueOf(top.get("ret")) : null, top.get("envid"),
                Instant.parse(require(top, "received")), top.get("auth-user"), top.get("client"));
        return new QueueEntry(env, states, Boolean.parseBoolean(top.get("held")), size);
    }

    private static RecipientState recipient(Map<String, String> m) throws Corrupt, AddressParser.SyntaxError {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        if (m.containsKey("notify")) {
            for (String n : m.get("notify").split(",")) {
                notify.add(Notify.valueOf(n));
            }
        }
        Recipient r = new Recipient(AddressParser.parseMailbox(m.get("recipient")), notify, m.get("orcpt"));
        return new RecipientState(r, Status.valueOf(require(m, "status").toUpperCase()),
                Integer.parseInt(require(m, "attempts")), Instant.parse(require(m, "next-attempt")),
                m.get("last-reply"), m.get("remote-mta"), m.get("command"), Boolean.parseBoolean(m.get("reported")),
                Boolean.parseBoolean(m.get("delay-warned")));
    }

    private static String require(Map<String, String> m, String key) throws Corrupt {
        String v = m.get(key);
        if (v == null) {
            throw new Corrupt("missing " + key);
        }
        return v;
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
