package org.postwerk.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * One address of an ENVELOPE address list (RFC 9051 §7.5.2): display name, source route, mailbox (local part)
 * and host. A group is a start marker {@code (NIL NIL "name" NIL)} and an end marker {@code (NIL NIL NIL NIL)}
 * (RFC 9051 §7.5.2, RFC 5322 §3.4). The name is the phrase with quotes and escapes removed and words joined by
 * one space; encoded words (RFC 2047) are left for the client to decode, as the RFC expects.
 */
public record Address(String name, String route, String mailbox, String host) {
    /** Dovecot's stand-ins when an address lacks a part, so that a client never mistakes it for a group. */
    static final String MISSING_MAILBOX = "MISSING_MAILBOX";
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";
    /** Addresses kept from one field: beyond this a field is cut (a bounded FETCH for a spam blast). */
    static final int MAX_ADDRESSES = 5_000;

    public boolean isGroupStart() {
        return host == null && mailbox != null;
    }

    public boolean isGroupEnd() {
        return host == null && mailbox == null;
    }

    /** "mailbox@host" for sorting and search; empty for group markers. */
    public String addrSpec() {
        return host == null ? "" : mailbox + "@" + host;
    }

    /** Parses an address list leniently (RFC 5322 §3.4 and the obsolete forms of §4.4); null gives an empty list. */
    public static List<Address> parseList(String value) {
        if (value == null) {
            return List.of();
        }
        return new Parser(new AddressTokens(value).tokens()).list();
    }

    private static final class Parser {
        private final List<AddressTokens.Token> t;
        private int i;
        private final List<Address> out = new ArrayList<>();

        Parser(List<AddressTokens.Token> tokens) {
            this.t = tokens;
        }

        List<Address> list() {
            while (i < t.size() && out.size() < MAX_ADDRESSES) {
                if (special(',') || special(';')) {
                    i++;
                    continue;
                }
                progress(true);
            }
            return out;
        }

        /** One entry; a token that starts none (a stray ">" or "@") is skipped, so every step moves on. */
        private void progress(boolean groupAllowed) {
            int before = i;
            entry(groupAllowed);
            if (i == before) {
                i++;
            }
        }

        /** A mailbox, or (when allowed) a group of mailboxes. */
        private void entry(boolean groupAllowed) {
            Phrase phrase = phrase();
            if (i < t.size() && special(':') && groupAllowed) {
                i++;
                out.add(new Address(null, null, phrase.text(), null));
                while (i < t.size() && !special(';') && out.size() < MAX_ADDRESSES) {
                    if (special(',')) {
                        i++;
                        continue;
                    }
                    progress(false);
                }
                if (i < t.size()) {
                    i++;
                }
                out.add(new Address(null, null, null, null));
            } else if (i < t.size() && special('<')) {
                i++;
                angle(phrase.text());
            } else {
                // addr-spec: the phrase was the local part; a comment after it is the name (RFC 822 habit,
                // Dovecot too; a comment before it is not).
                String local = phrase.local();
                String host = null;
                if (i < t.size() && special('@')) {
                    i++;
                    host = domain();
                }
                String comment = trailingComment();
                if (host == null && phrase.text().indexOf(' ') >= 0) {
                    // A bare phrase ("Only Name"): a display name without an address, as Dovecot reports it.
                    add(phrase.text(), null, "", null, true);
                } else {
                    add(comment, null, local, host, false);
                }
            }
        }

        private void angle(String name) {
            String route = null;
            if (i < t.size() && special('@')) {
                StringBuilder r = new StringBuilder();
                while (i < t.size() && (special('@') || special(','))) {
                    if (special(',')) {
                        r.append(',');
                        i++;
                        continue;
                    }
                    i++;
                    r.append('@').append(domain());
                }
                if (i < t.size() && special(':')) {
                    i++;
                }
                route = r.toString();
            }
            Phrase localPart = phrase();
            String host = null;
            if (i < t.size() && special('@')) {
                i++;
                host = domain();
            }
            while (i < t.size() && !special('>') && !special(',')) {
                i++; // junk inside the brackets
            }
            if (i < t.size() && special('>')) {
                i++;
            }
            add(name, route, localPart.local(), host, true);
        }

        /** @param bracketed an angle address, kept even when empty ({@code <>}) */
        private void add(String name, String route, String mailbox, String host, boolean bracketed) {
            if (!bracketed && (name == null || name.isEmpty()) && mailbox.isEmpty() && host == null) {
                return; // nothing at all, e.g. two commas in a row
            }
            out.add(new Address(name == null || name.isEmpty() ? null : name, route,
                    mailbox.isEmpty() ? MISSING_MAILBOX : mailbox,
                    host == null || host.isEmpty() ? MISSING_DOMAIN : host));
        }

        private String domain() {
            StringBuilder d = new StringBuilder();
            while (i < t.size()) {
                AddressTokens.Token tok = t.get(i);
                if (tok.kind() == AddressTokens.Kind.ATOM || tok.kind() == AddressTokens.Kind.LITERAL
                        || special('.')) {
                    d.append(tok.text());
                    i++;
                } else {
                    break; // a comment after the domain may be the display name: trailingComment()
                }
            }
            return d.toString();
        }

        private String trailingComment() {
            String c = null;
            while (i < t.size() && t.get(i).kind() == AddressTokens.Kind.COMMENT) {
                c = t.get(i).text();
                i++;
            }
            return c;
        }

        /** Words and dots up to the next special that ends a phrase; comments in between are dropped. */
        private Phrase phrase() {
            Phrase p = new Phrase();
            while (i < t.size()) {
                AddressTokens.Token tok = t.get(i);
                if (tok.kind() == AddressTokens.Kind.SPECIAL && tok.text().charAt(0) != '.') {
                    break;
                }
                if (tok.kind() != AddressTokens.Kind.COMMENT) {
                    p.words.add(tok);
                }
                i++;
            }
            return p;
        }

        private boolean special(char c) {
            AddressTokens.Token tok = t.get(i);
            return tok.kind() == AddressTokens.Kind.SPECIAL && tok.text().charAt(0) == c;
        }
    }

    private static final class Phrase {
        final List<AddressTokens.Token> words = new ArrayList<>();

        /** As a display name: words joined by one space, dots kept (obs-phrase, RFC 5322 §4.1). */
        String text() {
            StringBuilder b = new StringBuilder();
            for (AddressTokens.Token w : words) {
                boolean dot = w.kind() == AddressTokens.Kind.SPECIAL;
                if (!b.isEmpty() && !dot && !(b.charAt(b.length() - 1) == '.' && w.spaceBefore() == 0)) {
                    b.append(' ');
                }
                b.append(w.text());
            }
            return b.toString();
        }

        /** As a local part: words and dots joined without space; quoted words without their quotes (Dovecot
         *  reports {@code "quoted local"@example.org} as mailbox {@code quoted local}). */
        String local() {
            StringBuilder b = new StringBuilder();
            for (AddressTokens.Token w : words) {
                b.append(w.text());
            }
            return b.toString();
        }
    }
}
