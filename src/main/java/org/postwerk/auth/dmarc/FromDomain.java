package org.postwerk.auth.dmarc;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The author domain for DMARC (RFC 7489 §6.6.1) from the message's From header field(s) (RFC 5322 §3.6.2,
 * group syntax from RFC 6854, UTF-8 from RFC 6532). DMARC needs exactly one From field with exactly one mailbox;
 * every other case is reported as such so the caller can decide (we report permerror,
 * {@link DmarcResult#unusableFrom}). Display names, comments, quoted strings and encoded words are skipped,
 * never decoded. Pure.
 */
public final class FromDomain {
    private FromDomain() {}

    /** What the From field(s) give. */
    public sealed interface Parsed {}

    /** Exactly one mailbox: its domain in lower-case A-labels. */
    public record Found(String domain) implements Parsed {}

    /** No From field at all. */
    public record Missing() implements Parsed {}

    /** More than one From field (RFC 5322 §3.6 allows one). */
    public record SeveralFields(int count) implements Parsed {}

    /** One field with several mailboxes; their domains in order (RFC 7489 §6.6.1 leaves the choice to us). */
    public record SeveralMailboxes(List<String> domains) implements Parsed {
        public SeveralMailboxes {
            domains = List.copyOf(domains);
        }
    }

    /** Syntax error, no mailbox (an empty group), or a domain DMARC cannot look up (an address literal). */
    public record Unusable(String reason) implements Parsed {}

    /**
     * @param fieldValues the value (after {@code From:}) of every From field in the header, in order, folded or not
     */
    public static Parsed parse(List<String> fieldValues) {
        if (fieldValues.isEmpty()) {
            return new Missing();
        }
        if (fieldValues.size() > 1) {
            return new SeveralFields(fieldValues.size());
        }
        List<String> domains = new ArrayList<>();
        try {
            new AddressListParser(AddressTokens.lex(unfold(fieldValues.get(0)))).mailboxDomains(domains);
        } catch (IllegalArgumentException e) {
            return new Unusable(e.getMessage());
        }
        if (domains.isEmpty()) {
            return new Unusable("no mailbox in From");
        }
        if (domains.size() > 1) {
            return new SeveralMailboxes(domains);
        }
        return new Found(domains.get(0));
    }

    /** Convenience for one field value. */
    public static Parsed parse(String fieldValue) {
        return parse(List.of(fieldValue));
    }

    /** RFC 5322 §2.2.3: unfolding removes the CRLF before folding whitespace. */
    private static String unfold(String value) {
        return value.replaceAll("\r?\n(?=[ \t])", "").replaceAll("[\r\n]+$", "");
    }

    /** Recursive descent over the tokens of an address list; throws IllegalArgumentException on a syntax error. */
    private static final class AddressListParser {
        private final List<AddressTokens.Token> tokens;
        private int pos;

        AddressListParser(List<AddressTokens.Token> tokens) {
            this.tokens = tokens;
        }

        /** address-list (RFC 6854 allows groups in From); obs-mbox-list's empty elements are skipped. */
        void mailboxDomains(List<String> out) {
            while (pos < tokens.size()) {
                if (!special(',')) {
                    address(out, true);
                    if (pos < tokens.size() && !special(',')) {
                        throw new IllegalArgumentException("unexpected " + tokens.get(pos).text() + " in From");
                    }
                }
            }
        }

        private void address(List<String> out, boolean groupAllowed) {
            int start = pos;
            while (pos < tokens.size() && tokens.get(pos).isPhrasePart()) {
                pos++;
            }
            if (special('<')) {
                out.add(angleAddr());
            } else if (groupAllowed && special(':')) {
                group(out);
            } else if (special('@')) {
                localPart(start, pos - 1);
                out.add(domain());
            } else {
                throw new IllegalArgumentException("no address in From");
            }
        }

        /** group = display-name ":" [group-list] ";" — mailboxes only, no nested groups. */
        private void group(List<String> out) {
            while (!special(';')) {
                if (pos >= tokens.size()) {
                    throw new IllegalArgumentException("group without ;");
                }
                if (!special(',')) {
                    address(out, false);
                    if (!peek(',') && !peek(';')) {
                        throw new IllegalArgumentException("missing , or ; in From group");
                    }
                }
            }
        }

        /** angle-addr = "<" [obs-route] addr-spec ">"; obs-route = "@domain,@domain:" is dropped. */
        private String angleAddr() {
            if (peek('@')) {
                while (pos < tokens.size() && !special(':')) {
                    pos++;
                }
            }
            int start = pos;
            while (pos < tokens.size() && tokens.get(pos).isPhrasePart()) {
                pos++;
            }
            if (!special('@')) {
                throw new IllegalArgumentException("no @ in From address");
            }
            localPart(start, pos - 1);
            String domain = domain();
            if (!special('>')) {
                throw new IllegalArgumentException("no > after From address");
            }
            return domain;
        }

        /** local-part = word *("." word), from tokens [start, end). */
        private void localPart(int start, int end) {
            boolean wantWord = true;
            for (int i = start; i < end; i++) {
                AddressTokens.Token t = tokens.get(i);
                if (wantWord == t.is('.')) {
                    throw new IllegalArgumentException("bad local part in From");
                }
                wantWord = !wantWord;
            }
            if (wantWord) {
                throw new IllegalArgumentException("bad local part in From");
            }
        }

        /** domain = dot-atom (validated, converted to A-labels); a domain literal cannot be used by DMARC. */
        private String domain() {
            StringBuilder sb = new StringBuilder();
            boolean wantLabel = true;
            while (pos < tokens.size()
                    && (tokens.get(pos).kind() == AddressTokens.Kind.ATOM || tokens.get(pos).is('.'))) {
                AddressTokens.Token t = tokens.get(pos++);
                if (wantLabel == t.is('.')) {
                    throw new IllegalArgumentException("bad domain in From");
                }
                sb.append(t.text());
                wantLabel = !wantLabel;
            }
            if (pos < tokens.size() && tokens.get(pos).kind() == AddressTokens.Kind.LITERAL) {
                throw new IllegalArgumentException("address literal in From");
            }
            if (wantLabel) {
                throw new IllegalArgumentException("bad domain in From");
            }
            return ascii(sb.toString());
        }

        private static String ascii(String domain) {
            String a;
            try {
                a = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad IDN in From: " + e.getMessage());
            }
            for (String label : a.split("\\.", -1)) {
                if (!label.matches("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")) {
                    throw new IllegalArgumentException("bad domain in From: " + domain);
                }
            }
            return a;
        }

        private boolean peek(char c) {
            return pos < tokens.size() && tokens.get(pos).is(c);
        }

        /** Consumes the special character {@code c} if it is next. */
        private boolean special(char c) {
            if (peek(c)) {
                pos++;
                return true;
            }
            return false;
        }
    }
}
