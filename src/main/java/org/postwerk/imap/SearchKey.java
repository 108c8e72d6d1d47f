package org.postwerk.imap;

import java.time.LocalDate;
import java.util.List;

/**
 * A SEARCH criterion (RFC 9051 §6.4.4) as a tree. The parser folds the many keywords into few shapes:
 * {@code UNSEEN} is {@code Not(HasFlag(\Seen))}, {@code FROM x} is {@code Header("From", x)}, {@code NEW}
 * is {@code And(Recent, Not(HasFlag(\Seen)))}, several keys in a row are an {@link And}.
 */
public sealed interface SearchKey {
    record All() implements SearchKey {}

    /** A system flag ({@code \Seen}) or a keyword ({@code $Junk}) is set. */
    record HasFlag(String flag) implements SearchKey {}

    /** RFC 3501 RECENT (and NEW, OLD): the session's recent messages. */
    record Recent() implements SearchKey {}

    /**
     * The header field contains {@code value} (case-insensitive substring); an empty value matches every
     * message that has the field (RFC 9051 §6.4.4 HEADER).
     */
    record Header(String field, String value) implements SearchKey {}

    record Body(String value) implements SearchKey {}

    /** Header or body contains the value. */
    record Text(String value) implements SearchKey {}

    enum DateField {
        /** INTERNALDATE: BEFORE, ON, SINCE. */
        INTERNAL,
        /** The Date: header: SENTBEFORE, SENTON, SENTSINCE. */
        SENT
    }

    enum Comparison { BEFORE, ON, SINCE }

    /** Dates compare without time and timezone (RFC 9051 §6.4.4). */
    record Date(DateField field, Comparison comparison, LocalDate date) implements SearchKey {}

    /** RFC822.SIZE greater than {@code size}. */
    record Larger(long size) implements SearchKey {}

    record Smaller(long size) implements SearchKey {}

    /** Message sequence numbers (or {@code $}). */
    record Sequence(MessageSet set) implements SearchKey {}

    record Uid(MessageSet set) implements SearchKey {}

    /**
     * MODSEQ n (RFC 7162 §3.1.5): messages with a MODSEQ at least {@code modseq}. The optional per-flag
     * entry name is checked for syntax and not kept: we keep one MODSEQ per message, which the RFC allows.
     */
    record Modseq(long modseq) implements SearchKey {}

    record Not(SearchKey key) implements SearchKey {}

    record Or(SearchKey left, SearchKey right) implements SearchKey {}

    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }
}
