package org.postwerk.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.smtp.EnhancedStatus;
import org.postwerk.smtp.Reply;

/**
 * A recipient's state in the envelope file: {@code status} ({@link State#word()}), the attempts, the next attempt
 * of a waiting recipient, and the reply that decided it field by field ({@code reply-code}, {@code reply-status},
 * one {@code reply-text} per line), with {@code remote-mta} and {@code command} only when a remote MTA gave it.
 * Files written before replies were kept typed hold {@code last-reply} as on the wire (CRLF between lines) and a
 * {@code remote-mta} whenever a host was involved; they are read as a remote reason then, a local one otherwise.
 */
final class StateCodec {
    private StateCodec() {}

    static void encode(EntryCodec.Lines out, RecipientState r) {
        out.put("status", r.state().word());
        out.put("attempts", Integer.toString(r.attempts()));
        r.nextAttempt().ifPresent(t -> out.put("next-attempt", t.toString()));
        r.reason().ifPresent(reason -> {
            Reply reply = reason.reply();
            out.put("reply-code", Integer.toString(reply.code()));
            out.put("reply-status", reply.status() == null ? null : reply.status().toString());
            reply.lines().forEach(line -> out.put("reply-text", line));
            if (reason instanceof Reason.Remote remote) {
                out.put("remote-mta", remote.mta());
                out.put("command", remote.command());
            }
        });
        out.put("reported", Boolean.toString(r.reported()));
        out.put("delay-warned", Boolean.toString(r.delayWarned()));
    }

    static RecipientState decode(EntryCodec.Fields m, Recipient recipient) throws EntryCodec.Corrupt {
        String word = m.require("status");
        State state = switch (word) {
            case "pending" -> new State.Pending(nextAttempt(m));
            case "deferred" -> new State.Deferred(nextAttempt(m), reason(m));
            case "delivered" -> new State.Delivered(reason(m), DsnDuty.FINAL);
            case "transferred" -> new State.Delivered(reason(m), DsnDuty.NEXT_HOP);
            case "relayed" -> new State.Delivered(reason(m), DsnDuty.RELAYED);
            case "expanded" -> new State.Expanded(reason(m));
            case "failed" -> new State.Failed(reason(m));
            case "expired" -> new State.Expired(reason(m));
            default -> throw new EntryCodec.Corrupt("unknown status " + word);
        };
        return new RecipientState(recipient, state, Integer.parseInt(m.require("attempts")),
                Boolean.parseBoolean(m.get("reported")), Boolean.parseBoolean(m.get("delay-warned")));
    }

    private static Instant nextAttempt(EntryCodec.Fields m) throws EntryCodec.Corrupt {
        return Instant.parse(m.require("next-attempt"));
    }

    private static Reason reason(EntryCodec.Fields m) throws EntryCodec.Corrupt {
        Reply reply = m.get("reply-code") != null ? typed(m) : wire(m.require("last-reply"));
        String mta = m.get("remote-mta");
        return mta == null ? new Reason.Local(reply) : new Reason.Remote(reply, mta, m.get("command"));
    }

    private static Reply typed(EntryCodec.Fields m) throws EntryCodec.Corrupt {
        int code = Integer.parseInt(m.require("reply-code"));
        String text = m.get("reply-status");
        EnhancedStatus status = text == null ? null : EnhancedStatus.parse(text, code / 100);
        if (text != null && (status == null || !status.toString().equals(text))) {
            throw new EntryCodec.Corrupt("bad reply-status " + text + " for code " + code);
        }
        return new Reply(code, status, m.all("reply-text"));
    }

    /** A reply as the files of earlier versions kept it: {@code 451-4.3.0 first\r\n451 4.3.0 last}. */
    private static Reply wire(String text) throws EntryCodec.Corrupt {
        List<String> texts = new ArrayList<>();
        String code = text.length() < 3 ? "" : text.substring(0, 3);
        for (String line : text.split("\r\n")) {
            if (!line.startsWith(code) || line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
                throw new EntryCodec.Corrupt("bad last-reply " + text);
            }
            texts.add(line.length() > 4 ? line.substring(4) : "");
        }
        return Reply.read(Integer.parseInt(code), texts);
    }
}
