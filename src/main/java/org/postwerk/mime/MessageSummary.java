package org.postwerk.mime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What SORT and THREAD (RFC 5256) need of one message, computed once from the cached envelope. {@code number}
 * is what the response shows (sequence number, or UID for UID SORT / UID THREAD); the list handed to
 * {@link Sort} and {@link Threads} is in mailbox order, which breaks ties (RFC 5256 §3).
 *
 * @param sent the Date header in UTC, or the internal date when it has none or a broken one (RFC 5256 §2.2)
 * @param references the message-ids of References, or else the first of In-Reply-To (RFC 5256 §3 step 1.A)
 */
public record MessageSummary(long number, long size, Instant arrival, Instant sent, BaseSubject subject,
                             String messageId, List<String> references, String from, String to, String cc,
                             String displayFrom, String displayTo) {

    private static final Pattern MSG_ID = Pattern.compile("<([^<>\\s]+)>");

    public MessageSummary {
        references = List.copyOf(references);
    }

    public static MessageSummary of(long number, long size, Instant arrival, Envelope e) {
        // INTERNALDATE as clients see it, to the second: messages that arrived within one second are equal for
        // ARRIVAL and DATE, and keep mailbox order (REVERSE too), as in Dovecot (interop/imap-dovecot).
        arrival = arrival.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        OffsetDateTime date = MessageDate.parse(e.date());
        List<String> refs = ids(e.references());
        if (refs.isEmpty()) {
            List<String> inReplyTo = ids(e.inReplyTo());
            refs = inReplyTo.isEmpty() ? List.of() : List.of(inReplyTo.get(0));
        }
        List<String> own = ids(e.messageId());
        List<Address> from = Address.parseList(e.from());
        List<Address> to = Address.parseList(e.to());
        return new MessageSummary(number, size, arrival, date == null ? arrival : date.toInstant(),
                BaseSubject.of(e.subject()), own.isEmpty() ? null : own.get(0), refs, mailbox(from), mailbox(to),
                mailbox(Address.parseList(e.cc())), display(from), display(to));
    }

    /** The msg-ids of a field, without their angle brackets (RFC 5322 §3.6.4). */
    static List<String> ids(String field) {
        List<String> out = new ArrayList<>();
        if (field != null) {
            Matcher m = MSG_ID.matcher(field);
            while (m.find() && out.size() < 1000) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /**
     * RFC 5256 §3 CC/FROM/TO: the addr-mailbox of the first address of the ENVELOPE list, folded; "" when there
     * is none. A group's start marker is such an address, its addr-mailbox the group's name: "Cc:
     * undisclosed-recipients:;" sorts under "undisclosed-recipients", as in Dovecot (interop/imap-dovecot).
     */
    private static String mailbox(List<Address> list) {
        for (Address a : list) {
            if (!a.isGroupEnd()) {
                return SearchText.fold(a.mailbox());
            }
        }
        return "";
    }

    /** RFC 5957 §3 DISPLAYFROM/DISPLAYTO: the decoded display name of the first address, else its addr-spec. */
    private static String display(List<Address> list) {
        for (Address a : list) {
            if (!a.isGroupStart() && !a.isGroupEnd()) {
                String name = a.name() == null ? "" : HeaderText.decode(a.name()).strip();
                return SearchText.fold(name.isEmpty() ? a.addrSpec() : name);
            }
        }
        return "";
    }
}
