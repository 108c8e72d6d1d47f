package org.postwerk.imap;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One parsed IMAP command (RFC 9051 §6, RFC 3501 and the extensions in the IMAP plan). {@link CommandParser}
 * makes these; the session switches over them exhaustively. Mailbox names are the wire strings: the session
 * decodes them with {@link MailboxName#parse}, which depends on whether the client uses UTF-8.
 */
public sealed interface ImapCommand {
    /** The client's tag; {@code *} for an {@link Invalid} line that had none (answered untagged). */
    String tag();

    /** An unmodifiable copy in the enum's order (Set.copyOf would iterate in a random order). */
    static <E extends Enum<E>> Set<E> enumSet(Collection<E> values, Class<E> type) {
        EnumSet<E> set = EnumSet.noneOf(type);
        set.addAll(values);
        return Collections.unmodifiableSet(set);
    }

    /** An unmodifiable copy that keeps the client's order. */
    static <K, V> Map<K, V> orderedMap(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Whether message numbers are sequence numbers or UIDs (the {@code UID} prefix, RFC 9051 §6.4.9). */
    enum Numbering { SEQUENCE, UID }

    // Any state (RFC 9051 §6.1)
    record Capability(String tag) implements ImapCommand {}

    record Noop(String tag) implements ImapCommand {}

    record Logout(String tag) implements ImapCommand {}

    /** RFC 2971: the client's identification; NIL values are left out. */
    record Id(String tag, Map<String, String> fields) implements ImapCommand {
        public Id {
            fields = orderedMap(fields);
        }
    }

    // Not authenticated (RFC 9051 §6.2)
    record StartTls(String tag) implements ImapCommand {}

    /** AUTHENTICATE with an optional SASL-IR initial response (RFC 4959), base64 text, {@code =} for empty. */
    record Authenticate(String tag, String mechanism, Optional<String> initialResponse) implements ImapCommand {
        @Override
        public String toString() {
            return "Authenticate[" + tag + ", " + mechanism + (initialResponse.isPresent() ? ", <redacted>]" : "]");
        }
    }

    record Login(String tag, String user, String password) implements ImapCommand {
        @Override
        public String toString() {
            return "Login[" + tag + ", " + user + ", <redacted>]";
        }
    }

    // Authenticated (RFC 9051 §6.3)
    /** Capability names in upper case (RFC 5161; IMAP4rev2, CONDSTORE, QRESYNC, UTF8=ACCEPT ...). */
    record Enable(String tag, List<String> capabilities) implements ImapCommand {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }
    }

    record Select(String tag, String mailbox, SelectParams params) implements ImapCommand {}

    record Examine(String tag, String mailbox, SelectParams params) implements ImapCommand {}

    /** CREATE, with RFC 6154 §3 {@code (USE (\Sent ...))} attributes when given. */
    record Create(String tag, String mailbox, List<String> specialUse) implements ImapCommand {
        public Create {
            specialUse = List.copyOf(specialUse);
        }
    }

    record Delete(String tag, String mailbox) implements ImapCommand {}

    record Rename(String tag, String from, String to) implements ImapCommand {}

    record Subscribe(String tag, String mailbox) implements ImapCommand {}

    record Unsubscribe(String tag, String mailbox) implements ImapCommand {}

    /** LIST, basic or extended (RFC 5258): one or more patterns. */
    record ListMailboxes(String tag, String reference, List<String> patterns, ListOptions options)
            implements ImapCommand {
        public ListMailboxes {
            patterns = List.copyOf(patterns);
        }
    }

    /** RFC 3501 LSUB. */
    record Lsub(String tag, String reference, String pattern) implements ImapCommand {}

    record Namespace(String tag) implements ImapCommand {}

    record Status(String tag, String mailbox, List<StatusItem> items) implements ImapCommand {
        public Status {
            items = List.copyOf(items);
        }
    }

    /**
     * APPEND of one message (no MULTIAPPEND). {@code utf8}: the RFC 6855 §4 {@code UTF8 (~{n})} form.
     * The session closes {@code message} when done with it.
     */
    record Append(String tag, String mailbox, Flags flags, Optional<OffsetDateTime> internalDate, Literal message,
            boolean utf8) implements ImapCommand {}

    /** IDLE (RFC 2177, RFC 9051 §6.3.13); the session then reads lines until DONE. */
    record Idle(String tag) implements ImapCommand {}

    /** RFC 9208 §4.2. */
    record GetQuota(String tag, String root) implements ImapCommand {}

    record GetQuotaRoot(String tag, String mailbox) implements ImapCommand {}

    record SetQuota(String tag, String root, Map<String, Long> limits) implements ImapCommand {
        public SetQuota {
            limits = orderedMap(limits);
        }
    }

    /** RFC 4978: the algorithm in upper case; only DEFLATE exists. */
    record Compress(String tag, String algorithm) implements ImapCommand {}

    // Selected (RFC 9051 §6.4)
    /** RFC 3501 CHECK; a NOOP in effect. */
    record Check(String tag) implements ImapCommand {}

    record Close(String tag) implements ImapCommand {}

    record Unselect(String tag) implements ImapCommand {}

    record Expunge(String tag) implements ImapCommand {}

    /** RFC 4315 §2.1: expunge only these UIDs. */
    record UidExpunge(String tag, MessageSet uids) implements ImapCommand {}

    /** ESEARCH result options (RFC 4731 §3.1) and SAVE (RFC 5182). */
    enum ResultOption { MIN, MAX, ALL, COUNT, SAVE }

    /**
     * SEARCH; {@code returns} empty for the classic {@code * SEARCH} reply, otherwise an ESEARCH reply
     * ({@code RETURN ()} means ALL, RFC 4731 §3.1).
     */
    record Search(String tag, Numbering numbering, Set<ResultOption> returns, SearchKey key)
            implements ImapCommand {
        public Search {
            returns = enumSet(returns, ResultOption.class);
        }
    }

    /** FETCH; {@code changedSince} and {@code vanished} are the RFC 7162 modifiers. */
    record Fetch(String tag, Numbering numbering, MessageSet set, List<FetchItem> items, OptionalLong changedSince,
            boolean vanished) implements ImapCommand {
        public Fetch {
            items = List.copyOf(items);
        }
    }

    /** STORE; {@code unchangedSince} is the RFC 7162 §3.1.3 modifier. */
    record Store(String tag, Numbering numbering, MessageSet set, StoreAction action, OptionalLong unchangedSince)
            implements ImapCommand {}

    record Copy(String tag, Numbering numbering, MessageSet set, String mailbox) implements ImapCommand {}

    /** RFC 6851. */
    record Move(String tag, Numbering numbering, MessageSet set, String mailbox) implements ImapCommand {}

    /** RFC 5256 §3 sort-key. */
    enum SortKey { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO }

    record SortCriterion(SortKey key, boolean reverse) {}

    record Sort(String tag, Numbering numbering, List<SortCriterion> criteria, SearchKey key)
            implements ImapCommand {
        public Sort {
            criteria = List.copyOf(criteria);
        }
    }

    enum ThreadAlgorithm { ORDEREDSUBJECT, REFERENCES }

    record Thread(String tag, Numbering numbering, ThreadAlgorithm algorithm, SearchKey key) implements ImapCommand {}

    // Refusals
    /** Syntax error: the session answers {@code tag BAD} with a generic text; {@code reason} is for the log. */
    record Invalid(String tag, String reason) implements ImapCommand {}

    /**
     * A CHARSET we do not search in (RFC 9051 §6.4.4): the session answers
     * {@code NO [BADCHARSET (UTF-8 US-ASCII)]}.
     */
    record UnsupportedCharset(String tag, String charset) implements ImapCommand {}
}
