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
import org.postwerk.smtp.TlsRequirement;

/**
 * The envelope file: {@code key: value} lines an operator can read, one block per recipient with its route and
 * state indented under it ({@link StateCodec}); list values repeat their key. Values escape backslash, CR and LF
 * ({@code \\ \r \n}) so every value stays on one line. Parsing is strict: anything unexpected is a
 * {@link Corrupt} and the entry is set aside.
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
        Lines out = new Lines("");
        out.put("id", env.id());
        out.put("sender", env.reversePath());
        out.put("received", env.received().toString());
        out.put("body", env.body().name());
        out.put("smtputf8", Boolean.toString(env.smtputf8()));
        out.put("ret", env.ret() == null ? null : env.ret().name());
        out.put("envid", env.envid());
        out.put("auth-user", env.authUser());
        out.put("client", env.client());
        // RFC 8689 §4.1: the REQUIRETLS tag (or TLS-Required: No) stays with the message while it is queued.
        out.put("tls", env.tls() == TlsRequirement.POLICY ? null : tlsName(env.tls()));
        out.put("held", Boolean.toString(e.held()));
        for (RecipientState r : e.recipients()) {
            out.put("recipient", r.recipient().address().toString());
            Lines in = out.indented();
            Set<Notify> n = r.recipient().notifyOn();
            in.put("notify", n.isEmpty() ? null : String.join(",", n.stream().sorted().map(Enum::name).toList()));
            in.put("orcpt", r.recipient().orcpt());
            route(in, r.recipient().route());
            StateCodec.encode(in, r);
        }
        return out.sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void route(Lines out, Route route) {
        switch (route) {
            case Route.Unresolved u -> { } // no line: looked up at delivery, as in files from before routes
            case Route.Remote r -> out.put("route", "remote");
            case Route.Local l -> {
                out.put("route", "local");
                l.accounts().forEach(a -> out.put("account", a));
                l.forwards().forEach(f -> out.put("forward", f.toString()));
                out.put("folder", l.folder());
            }
        }
    }

    /** Writes {@code key: value} lines (none for a null value) at one indentation. */
    static final class Lines {
        final StringBuilder sb;
        private final String indent;

        Lines(String indent) {
            this(new StringBuilder(512), indent);
        }

        private Lines(StringBuilder sb, String indent) {
            this.sb = sb;
            this.indent = indent;
        }

        Lines indented() {
            return new Lines(sb, indent + "  ");
        }

        void put(String key, String value) {
            if (value != null) {
                sb.append(indent).append(key).append(": ").append(escape(value)).append('\n');
            }
        }
    }

    static QueueEntry decode(byte[] bytes, long size) throws Corrupt {
        Map<String, String> top = new LinkedHashMap<>();
        List<Fields> rcpts = new ArrayList<>();
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
                rcpts.add(new Fields());
                rcpts.getLast().add(key, value);
            } else if (raw.startsWith(" ")) {
                if (rcpts.isEmpty()) {
                    throw new Corrupt("recipient field before any recipient: " + raw);
                }
                rcpts.getLast().add(key, value);
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

    /** One recipient block: each key with its values in file order. */
    static final class Fields {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        void add(String key, String value) {
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }

        /** The value of a single-valued key, or null. */
        String get(String key) {
            List<String> v = values.get(key);
            return v == null ? null : v.getLast();
        }

        List<String> all(String key) {
            return values.getOrDefault(key, List.of());
        }

        String require(String key) throws Corrupt {
            String v = get(key);
            if (v == null) {
                throw new Corrupt("missing " + key);
            }
            return v;
        }
    }

    private static QueueEntry build(Map<String, String> top, List<Fields> rcpts, long size)
            throws Corrupt, AddressParser.SyntaxError {
        List<RecipientState> states = new ArrayList<>();
        for (Fields m : rcpts) {
            states.add(StateCodec.decode(m, recipient(m)));
        }
        if (states.isEmpty()) {
            throw new Corrupt("no recipients");
        }
        String sender = require(top, "sender");
        Optional<Mailbox> from = AddressParser.parsePath(sender, 0, true).mailbox();
        Envelope env = new Envelope(require(top, "id"), from, states.stream().map(RecipientState::recipient).toList(),
                BodyType.valueOf(require(top, "body")), Boolean.parseBoolean(top.get("smtputf8")),
                top.containsKey("ret") ? Ret.valueOf(top.get("ret")) : null, top.get("envid"),
                Instant.parse(require(top, "received")), top.get("auth-user"), top.get("client"),
                tls(top.get("tls")));
        return new QueueEntry(env, states, Boolean.parseBoolean(top.get("held")), size);
    }

    /** As the file shows it: {@code requiretls} or {@code not-required}. */
    private static String tlsName(TlsRequirement t) {
        return t == TlsRequirement.REQUIRED ? "requiretls" : t.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** No line (files from before RFC 8689 support, or nothing asked): the policies apply. */
    private static TlsRequirement tls(String value) throws Corrupt {
        if (value == null) {
            return TlsRequirement.POLICY;
        }
        for (TlsRequirement t : TlsRequirement.values()) {
            if (tlsName(t).equals(value)) {
                return t;
            }
        }
        throw new Corrupt("unknown tls " + value);
    }

    private static Recipient recipient(Fields m) throws Corrupt, AddressParser.SyntaxError {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        if (m.get("notify") != null) {
            for (String n : m.get("notify").split(",")) {
                notify.add(Notify.valueOf(n));
            }
        }
        return new Recipient(AddressParser.parseMailbox(m.require("recipient")), notify, m.get("orcpt"), route(m));
    }

    private static Route route(Fields m) throws Corrupt, AddressParser.SyntaxError {
        String route = m.get("route");
        if (route == null) {
            return Route.UNRESOLVED;
        }
        return switch (route) {
            case "remote" -> new Route.Remote();
            case "local" -> {
                List<Mailbox> forwards = new ArrayList<>();
                for (String f : m.all("forward")) {
                    forwards.add(AddressParser.parseMailbox(f));
                }
                yield new Route.Local(m.all("account"), forwards, m.require("folder"));
            }
            default -> throw new Corrupt("unknown route " + route);
        };
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
