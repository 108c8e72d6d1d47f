package org.postwerk.milter;

import static org.postwerk.milter.Protocol.*;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postwerk.config.MilterConfig;
import org.postwerk.smtp.Reply;

/**
 * One conversation with one milter, for one SMTP session: connect, SMFIC_OPTNEG, then the steps in the order the
 * protocol fixes (connect, HELO, per message MAIL, RCPT..., DATA, headers, end of headers, body, end of message,
 * or ABORT), and QUIT. Steps the milter said it does not want are not sent (their macros neither); steps it said
 * it does not answer are sent without waiting. Every failure (refused connection, timeout, protocol error, the
 * milter closing) is an IOException: what it means for the mail is the caller's decision (the default action).
 */
final class MilterConnection implements Closeable {
    /** The end of a message: the final response and the changes the milter asked for before it. */
    record EndOfMessage(Response response, List<Modification> changes) {}

    private final MilterConfig config;
    private final Channel channel;
    private int version;
    private int actions;
    private int protocol;
    private final Map<Stage, Set<String>> symbols = new EnumMap<>(Stage.class);

    private MilterConnection(MilterConfig config, Channel channel) {
        this.config = config;
        this.channel = channel;
    }

    /** Connects (within the connect timeout) and negotiates. */
    static MilterConnection open(MilterConfig config) throws IOException {
        Channel channel = Channel.connect(config.address(), config.connectTimeout());
        MilterConnection c = new MilterConnection(config, channel);
        try {
            c.negotiate();
        } catch (IOException e) {
            channel.close();
            throw c.explained(e);
        }
        return c;
    }

    private void negotiate() throws IOException {
        send(new Packet.Data().integer(VERSION).integer(ACTIONS_OFFERED).integer(PROTOCOL_OFFERED).as(OPTNEG), true);
        Packet p = next(config.commandTimeout());
        if (p.command() != OPTNEG) {
            throw new IOException("expected an OPTNEG reply, got '" + (char) p.command() + "'");
        }
        version = p.intAt(0);
        if (version < MIN_VERSION || version > VERSION) {
            throw new IOException("milter protocol version " + version + " not supported (2 to 6)");
        }
        actions = p.intAt(4);
        protocol = p.intAt(8);
        if ((actions & ~ACTIONS_OFFERED) != 0 || (protocol & ~PROTOCOL_OFFERED) != 0) {
            throw new IOException(String.format("the milter asks for actions 0x%x, protocol 0x%x beyond those offered",
                    actions, protocol));
        }
        if (version < 4) {
            protocol |= P_NODATA | P_NOUNKNOWN; // DATA and unknown commands came with version 4
        }
        // The symbol lists (SMFIF_SETSYMLIST): per stage, the macros the milter wants, space-separated.
        for (int at = 12; at + 4 < p.data().length; ) {
            int stage = p.intAt(at);
            List<String> names = p.strings(at + 4);
            String list = names.isEmpty() ? "" : names.getFirst();
            if (stage >= 0 && stage < Stage.values().length) {
                symbols.put(Stage.values()[stage], Set.of(list.trim().isEmpty() ? new String[0]
                        : list.trim().split("\\s+")).stream().map(MilterConnection::bare)
                        .collect(java.util.stream.Collectors.toSet()));
            }
            at += 4 + list.getBytes(StandardCharsets.ISO_8859_1).length + 1;
        }
        channel.clearDeadline();
    }

    int version() {
        return version;
    }

    /** True when the milter gets header values with the space after the colon (SMFIP_HDR_LEADSPC). */
    boolean leadingSpace() {
        return (protocol & P_HDR_LEADSPC) != 0;
    }

    boolean wants(Stage stage) {
        return (protocol & stage.skipFlag) == 0;
    }

    boolean wantsHeaders() {
        return (protocol & P_NOHDRS) == 0;
    }

    boolean wantsBody() {
        return (protocol & P_NOBODY) == 0;
    }

    /** One SMTP-level step (connect, HELO, MAIL, RCPT, DATA, end of headers) with its macros. */
    Response step(Stage stage, Map<String, String> macros, Packet command) throws IOException {
        if (!wants(stage)) {
            return Response.CONTINUE;
        }
        macros(stage, macros);
        boolean answered = (protocol & stage.noReplyFlag) == 0;
        return exchange(command, answered, config.commandTimeout(), false);
    }

    /** One header field; {@code value} as it follows the colon, continuation lines joined by LF. */
    Response header(String name, String value) throws IOException {
        if (!wantsHeaders()) {
            return Response.CONTINUE;
        }
        String v = !leadingSpace() && value.startsWith(" ") ? value.substring(1) : value;
        return exchange(new Packet.Data().string(name).string(v).as(HEADER), (protocol & P_NR_HDR) == 0,
                config.commandTimeout(), false);
    }

    /** One chunk of the body, at most {@link Protocol#CHUNK} bytes. */
    Response body(byte[] chunk) throws IOException {
        if (!wantsBody()) {
            return new Response.Skip();
        }
        return exchange(new Packet(BODY, chunk), (protocol & P_NR_BODY) == 0, config.commandTimeout(), true);
    }

    /** End of message: the final response, waited for up to the message timeout, and the changes before it. */
    EndOfMessage endOfMessage(Map<String, String> macros) throws IOException {
        try {
            macros(Stage.EOM, macros);
            send(Packet.of(BODYEOB), true);
            List<Modification> changes = new ArrayList<>();
            while (true) {
                Packet p = next(config.messageTimeout());
                Modification m = modification(p);
                if (m != null) {
                    changes.add(m);
                    continue;
                }
                Response r = response(p, false);
                if (r != null) {
                    channel.clearDeadline();
                    return new EndOfMessage(r, changes);
                }
            }
        } catch (IOException e) {
            throw explained(e);
        }
    }

    /** The message is abandoned (RSET, a refusal, the client left); the milter waits for the next MAIL. */
    void abort() throws IOException {
        try {
            send(Packet.of(ABORT), true);
            channel.clearDeadline();
        } catch (IOException e) {
            throw explained(e);
        }
    }

    /** Says goodbye and closes (no reply is expected to QUIT). */
    @Override
    public void close() {
        try {
            send(Packet.of(QUIT), true);
        } catch (IOException e) {
            // closing anyway
        }
        channel.clearDeadline();
        channel.close();
    }

    private void macros(Stage stage, Map<String, String> macros) throws IOException {
        Set<String> wanted = symbols.get(stage);
        Packet.Data d = new Packet.Data().raw(stage.command);
        boolean any = false;
        for (Map.Entry<String, String> m : macros.entrySet()) {
            if (m.getValue() != null && (wanted == null || wanted.contains(bare(m.getKey())))) {
                d.string(m.getKey()).utf8(m.getValue());
                any = true;
            }
        }
        if (any) {
            send(d.as(MACRO), false);
        }
    }

    private Response exchange(Packet command, boolean answered, Duration timeout, boolean body) throws IOException {
        try {
            send(command, answered);
            if (!answered) {
                channel.clearDeadline();
                return Response.CONTINUE;
            }
            while (true) {
                Packet p = next(timeout);
                Response r = response(p, body);
                if (r != null) {
                    channel.clearDeadline();
                    return r;
                }
            }
        } catch (IOException e) {
            throw explained(e);
        }
    }

    private void send(Packet p, boolean flush) throws IOException {
        channel.deadline(config.commandTimeout());
        p.writeTo(channel.out);
        if (flush) {
            channel.out.flush();
        }
    }

    /** The next packet within {@code timeout}; SMFIR_PROGRESS restarts the wait (that is what it is for). */
    private Packet next(Duration timeout) throws IOException {
        while (true) {
            channel.deadline(timeout);
            Packet p = Packet.read(channel.in, MAX_PACKET);
            if (p.command() != PROGRESS) {
                return p;
            }
        }
    }

    /** A final answer to a step, or null for something else (only modifications are legal beside one). */
    private Response response(Packet p, boolean body) throws IOException {
        return switch (p.command()) {
            case CONTINUE -> Response.CONTINUE;
            case ACCEPT -> new Response.Accept();
            case DISCARD -> new Response.Discard();
            case SKIP -> body ? new Response.Skip() : Response.CONTINUE;
            case REJECT -> new Response.Refuse(ReplyCodes.REJECT, "reject");
            case TEMPFAIL -> new Response.Refuse(ReplyCodes.TEMPFAIL, "tempfail");
            case SHUTDOWN, CONN_FAIL -> new Response.Refuse(ReplyCodes.SHUTDOWN, "shutdown");
            case REPLYCODE -> {
                String text = p.strings(0).isEmpty() ? "" : p.strings(0).getFirst();
                Reply reply = ReplyCodes.parse(text);
                if (reply == null) {
                    throw new IOException("unusable reply code \"" + text.replaceAll("[^ -~]", "?") + "\"");
                }
                yield new Response.Refuse(reply, "replycode");
            }
            default -> throw new IOException("unexpected packet '" + (char) p.command() + "'");
        };
    }

    /** A modification at end of message, checked against what the milter negotiated; null for anything else. */
    private Modification modification(Packet p) throws IOException {
        List<String> s;
        return switch (p.command()) {
            case ADDHEADER -> {
                allowed(F_ADDHDRS, p);
                s = p.strings(0);
                yield new Modification.AddHeader(at(s, 0), at(s, 1));
            }
            case INSHEADER -> {
                allowed(F_ADDHDRS, p);
                s = p.strings(4);
                yield new Modification.InsertHeader(p.intAt(0), at(s, 0), at(s, 1));
            }
            case CHGHEADER -> {
                allowed(F_CHGHDRS, p);
                s = p.strings(4);
                yield new Modification.ChangeHeader(p.intAt(0), at(s, 0), at(s, 1));
            }
            case REPLBODY -> {
                allowed(F_CHGBODY, p);
                yield new Modification.ReplaceBody(p.data());
            }
            case ADDRCPT -> {
                allowed(F_ADDRCPT | F_ADDRCPT_PAR, p);
                yield new Modification.AddRecipient(at(p.strings(0), 0), "");
            }
            case ADDRCPT_PAR -> {
                allowed(F_ADDRCPT_PAR, p);
                s = p.strings(0);
                yield new Modification.AddRecipient(at(s, 0), at(s, 1));
            }
            case DELRCPT -> {
                allowed(F_DELRCPT, p);
                yield new Modification.DeleteRecipient(at(p.strings(0), 0));
            }
            case QUARANTINE -> {
                allowed(F_QUARANTINE, p);
                yield new Modification.Quarantine(at(p.strings(0), 0));
            }
            case CHGFROM -> throw new IOException("the milter changes the sender, which was not offered");
            default -> null;
        };
    }

    private void allowed(int action, Packet p) throws IOException {
        if ((actions & action) == 0) {
            throw new IOException("the milter sent '" + (char) p.command() + "' without negotiating it");
        }
    }

    private static String at(List<String> s, int i) {
        return i < s.size() ? s.get(i) : "";
    }

    /** A macro name without braces: {@code {daemon_name}} and {@code daemon_name} are the same macro. */
    private static String bare(String name) {
        return name.startsWith("{") && name.endsWith("}") ? name.substring(1, name.length() - 1) : name;
    }

    /** A timeout shows up as the stream closed under a read or write: say so. */
    private IOException explained(IOException e) {
        channel.close();
        return channel.expired() ? new IOException("timed out", e) : e;
    }
}
