package org.postwerk.imap;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postwerk.imap.ImapCommand.Numbering;
import org.postwerk.imap.ImapCommand.ResultOption;
import org.postwerk.imap.Lexer.SyntaxError;
import org.postwerk.imap.SearchKey.Comparison;
import org.postwerk.imap.SearchKey.DateField;

/**
 * SEARCH (RFC 9051 §6.4.4, ESEARCH RFC 4731, SEARCHRES RFC 5182, MODSEQ RFC 7162 §3.1.5), SORT and THREAD
 * (RFC 5256): result options, CHARSET and the search-key grammar, with nesting bounded by
 * {@link CommandParser.Limits#maxDepth()}.
 */
final class SearchParser {
    private final Lexer in;
    private final CommandParser.Limits limits;
    private int depth;

    SearchParser(Lexer in, CommandParser.Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** search = "SEARCH" [SP "RETURN" SP "(" [opt *(SP opt)] ")"] SP ["CHARSET" SP charset SP] keys. */
    ImapCommand search(String tag, Numbering numbering) throws SyntaxError {
        in.sp();
        Set<ResultOption> returns = EnumSet.noneOf(ResultOption.class);
        if (in.skipWord("RETURN")) {
            in.sp();
            returns = resultOptions();
            in.sp();
        }
        if (in.skipWord("CHARSET")) {
            in.sp();
            Optional<String> unsupported = unsupportedCharset();
            if (unsupported.isPresent()) {
                return new ImapCommand.UnsupportedCharset(tag, unsupported.get());
            }
        }
        return new ImapCommand.Search(tag, numbering, returns, keys());
    }

    /** sort = ["UID" SP] "SORT" SP sort-criteria SP charset 1*(SP search-key) (RFC 5256 §5). */
    ImapCommand sort(String tag, Numbering numbering) throws SyntaxError {
        in.sp();
        List<ImapCommand.SortCriterion> criteria = in.list(1, () -> {
            boolean reverse = in.skipWord("REVERSE");
            if (reverse) {
                in.sp();
            }
            return new ImapCommand.SortCriterion(in.word(ImapCommand.SortKey.class, "sort key"), reverse);
        });
        in.sp();
        Optional<String> unsupported = unsupportedCharset();
        return unsupported.isPresent()
                ? new ImapCommand.UnsupportedCharset(tag, unsupported.get())
                : new ImapCommand.Sort(tag, numbering, criteria, keys());
    }

    /** thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria (RFC 5256 §5). */
    ImapCommand thread(String tag, Numbering numbering) throws SyntaxError {
        in.sp();
        ImapCommand.ThreadAlgorithm algorithm = in.word(ImapCommand.ThreadAlgorithm.class, "thread algorithm");
        in.sp();
        Optional<String> unsupported = unsupportedCharset();
        return unsupported.isPresent()
                ? new ImapCommand.UnsupportedCharset(tag, unsupported.get())
                : new ImapCommand.Thread(tag, numbering, algorithm, keys());
    }

    /**
     * charset SP: the charset when we do not search in it (the session answers NO [BADCHARSET], RFC 9051
     * §6.4.4), else empty and the following SP consumed.
     */
    private Optional<String> unsupportedCharset() throws SyntaxError {
        String charset = in.astring();
        if (!CommandParser.supportedCharset(charset)) {
            return Optional.of(charset);
        }
        in.sp();
        return Optional.empty();
    }

    /** "(" [search-return-opt *(SP search-return-opt)] ")"; {@code RETURN ()} means ALL (RFC 4731 §3.1). */
    private Set<ResultOption> resultOptions() throws SyntaxError {
        Set<ResultOption> options = EnumSet.noneOf(ResultOption.class);
        options.addAll(in.list(0, () -> in.word(ResultOption.class, "search return option")));
        return options.isEmpty() ? EnumSet.of(ResultOption.ALL) : options;
    }

    /** search-key *(SP search-key) up to the end of the command: several keys are an AND. */
    private SearchKey keys() throws SyntaxError {
        List<SearchKey> keys = new ArrayList<>();
        do {
            keys.add(key());
        } while (in.skip(' '));
        return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
    }

    private SearchKey key() throws SyntaxError {
        if (++depth > limits.maxDepth()) {
            throw in.error("search keys nested too deeply");
        }
        try {
            int c = in.peek();
            if (c == '(') {
                return parenthesised();
            }
            if (Syntax.isDigit(c) || c == '*' || c == '$') {
                return new SearchKey.Sequence(in.messageSet(limits.maxRanges()));
            }
            return keyword(in.word());
        } finally {
            depth--;
        }
    }

    private SearchKey parenthesised() throws SyntaxError {
        List<SearchKey> keys = in.list(1, this::key);
        return keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
    }

    private SearchKey keyword(String word) throws SyntaxError {
        return switch (word) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> flag("\\Answered");
            case "DELETED" -> flag("\\Deleted");
            case "DRAFT" -> flag("\\Draft");
            case "FLAGGED" -> flag("\\Flagged");
            case "SEEN" -> flag("\\Seen");
            case "UNANSWERED" -> not(flag("\\Answered"));
            case "UNDELETED" -> not(flag("\\Deleted"));
            case "UNDRAFT" -> not(flag("\\Draft"));
            case "UNFLAGGED" -> not(flag("\\Flagged"));
            case "UNSEEN" -> not(flag("\\Seen"));
            // RFC 3501 §6.4.4: NEW = RECENT UNSEEN, OLD = NOT RECENT.
            case "RECENT" -> new SearchKey.Recent();
            case "NEW" -> new SearchKey.And(List.of(new SearchKey.Recent(), not(flag("\\Seen"))));
            case "OLD" -> not(new SearchKey.Recent());
            case "KEYWORD" -> flag(keywordArgument());
            case "UNKEYWORD" -> not(flag(keywordArgument()));
            case "BCC" -> header("Bcc");
            case "CC" -> header("Cc");
            case "FROM" -> header("From");
            case "SUBJECT" -> header("Subject");
            case "TO" -> header("To");
            case "HEADER" -> {
                String field = argument();
                in.sp();
                yield new SearchKey.Header(field, in.astring());
            }
            case "BODY" -> new SearchKey.Body(argument());
            case "TEXT" -> new SearchKey.Text(argument());
            case "BEFORE" -> date(DateField.INTERNAL, Comparison.BEFORE);
            case "ON" -> date(DateField.INTERNAL, Comparison.ON);
            case "SINCE" -> date(DateField.INTERNAL, Comparison.SINCE);
            case "SENTBEFORE" -> date(DateField.SENT, Comparison.BEFORE);
            case "SENTON" -> date(DateField.SENT, Comparison.ON);
            case "SENTSINCE" -> date(DateField.SENT, Comparison.SINCE);
            case "LARGER" -> new SearchKey.Larger(numberArgument());
            case "SMALLER" -> new SearchKey.Smaller(numberArgument());
            case "UID" -> {
                in.sp();
                yield new SearchKey.Uid(in.messageSet(limits.maxRanges()));
            }
            case "NOT" -> {
                in.sp();
                yield not(key());
            }
            case "OR" -> {
                in.sp();
                SearchKey left = key();
                in.sp();
                yield new SearchKey.Or(left, key());
            }
            case "MODSEQ" -> modseq();
            default -> throw in.error("unknown search key");
        };
    }

    private static SearchKey flag(String flag) {
        return new SearchKey.HasFlag(flag);
    }

    private static SearchKey not(SearchKey key) {
        return new SearchKey.Not(key);
    }

    private String argument() throws SyntaxError {
        in.sp();
        return in.astring();
    }

    private SearchKey header(String field) throws SyntaxError {
        return new SearchKey.Header(field, argument());
    }

    private String keywordArgument() throws SyntaxError {
        in.sp();
        return in.atom(); // flag-keyword = atom
    }

    private long numberArgument() throws SyntaxError {
        in.sp();
        return in.number(Long.MAX_VALUE); // number64
    }

    /** date = date-text / DQUOTE date-text DQUOTE. */
    private SearchKey date(DateField field, Comparison comparison) throws SyntaxError {
        Optional<LocalDate> date = ImapDates.parseDate(argument());
        if (date.isEmpty()) {
            throw in.error("invalid date");
        }
        return new SearchKey.Date(field, comparison, date.get());
    }

    /**
     * search-modsequence = "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer (RFC 7162 §7),
     * entry-name = DQUOTE "/flags/" attr-flag DQUOTE, entry-type-req = "priv" / "shared" / "all".
     */
    private SearchKey modseq() throws SyntaxError {
        in.sp();
        if (in.peek() == '"') {
            String entry = in.astring();
            if (!entry.regionMatches(true, 0, "/flags/", 0, 7) || entry.length() == 7) {
                throw in.error("invalid MODSEQ entry name");
            }
            in.sp();
            String type = in.word();
            if (!type.equals("PRIV") && !type.equals("SHARED") && !type.equals("ALL")) {
                throw in.error("invalid MODSEQ entry type");
            }
            in.sp();
        }
        return new SearchKey.Modseq(in.number(CommandParser.MAX_MODSEQ));
    }
}
