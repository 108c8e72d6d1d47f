package org.postwerk.imap;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.postwerk.imap.ImapCommand.Numbering;
import org.postwerk.imap.Lexer.SyntaxError;

/**
 * Turns one {@link RawCommand} into an {@link ImapCommand}: {@code tag SP command [arguments]} (RFC 9051 §9).
 * Pure: no session state, no I/O, bounded by {@link Limits}. Invalid input becomes {@link ImapCommand.Invalid}
 * (BAD), an unsupported CHARSET {@link ImapCommand.UnsupportedCharset} (NO [BADCHARSET]); no exception
 * escapes. Whether a command is allowed in the current state is the session's business. SEARCH, SORT and
 * THREAD are in {@link SearchParser}, FETCH items in {@link FetchParser}, LIST and STATUS in {@link ListParser}.
 */
public final class CommandParser {
    /**
     * @param maxDepth nesting of parenthesised lists and NOT/OR in search keys (a hostile chain must not
     *     overflow the stack)
     * @param maxRanges ranges in one sequence set
     */
    public record Limits(int maxDepth, int maxRanges) {
        public static final Limits DEFAULT = new Limits(100, 65_536);
    }

    /** RFC 9051 §6.4.4: we search in UTF-8 (and its subset US-ASCII) only. */
    public static final List<String> CHARSETS = List.of("UTF-8", "US-ASCII");

    /** RFC 2971 §3.3: at most 30 pairs, field names up to 30 octets, values up to 1024. */
    static final int ID_MAX_PAIRS = 30;

    static final long MAX_MODSEQ = Long.MAX_VALUE; // mod-sequence-value: 63 bits (RFC 7162 §7)

    private final Lexer in;
    private final Limits limits;
    private final String tag;

    private CommandParser(Lexer in, Limits limits, String tag) {
        this.in = in;
        this.limits = limits;
        this.tag = tag;
    }

    public static ImapCommand parse(RawCommand command) {
        return parse(command, Limits.DEFAULT);
    }

    public static ImapCommand parse(RawCommand command, Limits limits) {
        Lexer in = new Lexer(command);
        String tag;
        try {
            tag = in.token(Syntax::isTagChar, "tag");
            in.sp();
        } catch (SyntaxError e) {
            return new ImapCommand.Invalid("*", "missing or invalid tag");
        }
        try {
            return new CommandParser(in, limits, tag).command();
        } catch (SyntaxError e) {
            return new ImapCommand.Invalid(tag, e.getMessage());
        }
    }

    /** Whether a line read during IDLE is the DONE that ends it (RFC 2177 §3, case-insensitive). */
    public static boolean isDone(RawCommand line) {
        return line.literals().isEmpty() && new String(line.lines().get(0), java.nio.charset.StandardCharsets.US_ASCII)
                .equalsIgnoreCase("DONE");
    }

    static boolean supportedCharset(String charset) {
        return CHARSETS.stream().anyMatch(charset::equalsIgnoreCase);
    }

    private ImapCommand command() throws SyntaxError {
        String name = in.word();
        ImapCommand command = switch (name) {
            case "CAPABILITY" -> new ImapCommand.Capability(tag);
            case "NOOP" -> new ImapCommand.Noop(tag);
            case "LOGOUT" -> new ImapCommand.Logout(tag);
            case "STARTTLS" -> new ImapCommand.StartTls(tag);
            case "NAMESPACE" -> new ImapCommand.Namespace(tag);
            case "IDLE" -> new ImapCommand.Idle(tag);
            case "CHECK" -> new ImapCommand.Check(tag);
            case "CLOSE" -> new ImapCommand.Close(tag);
            case "UNSELECT" -> new ImapCommand.Unselect(tag);
            case "EXPUNGE" -> new ImapCommand.Expunge(tag);
            case "ID" -> id();
            case "AUTHENTICATE" -> authenticate();
            case "LOGIN" -> login();
            case "ENABLE" -> enable();
            case "SELECT", "EXAMINE" -> select(name);
            case "CREATE" -> create();
            case "DELETE" -> new ImapCommand.Delete(tag, mailboxArgument());
            case "SUBSCRIBE" -> new ImapCommand.Subscribe(tag, mailboxArgument());
            case "UNSUBSCRIBE" -> new ImapCommand.Unsubscribe(tag, mailboxArgument());
            case "RENAME" -> new ImapCommand.Rename(tag, mailboxArgument(), mailboxArgument());
            case "LIST" -> new ListParser(in).list(tag);
            case "LSUB" -> new ListParser(in).lsub(tag);
            case "STATUS" -> new ListParser(in).status(tag);
            case "APPEND" -> append();
            case "GETQUOTA" -> new ImapCommand.GetQuota(tag, mailboxArgument());
            case "GETQUOTAROOT" -> new ImapCommand.GetQuotaRoot(tag, mailboxArgument());
            case "SETQUOTA" -> setQuota();
            case "COMPRESS" -> compress();
            case "UID" -> uid();
            default -> messageCommand(name, Numbering.SEQUENCE);
        };
        if (!(command instanceof ImapCommand.UnsupportedCharset)) {
            in.end();
        }
        return command;
    }

    /** RFC 9051 §6.4.9: UID COPY / MOVE / FETCH / SEARCH / STORE / EXPUNGE, and UID SORT / THREAD. */
    private ImapCommand uid() throws SyntaxError {
        in.sp();
        String name = in.word();
        if (name.equals("EXPUNGE")) {
            in.sp();
            return new ImapCommand.UidExpunge(tag, in.messageSet(limits.maxRanges()));
        }
        return messageCommand(name, Numbering.UID);
    }

    private ImapCommand messageCommand(String name, Numbering numbering) throws SyntaxError {
        return switch (name) {
            case "FETCH" -> fetch(numbering);
            case "STORE" -> store(numbering);
            case "COPY" -> new ImapCommand.Copy(tag, numbering, messageSetArgument(), mailboxArgument());
            case "MOVE" -> new ImapCommand.Move(tag, numbering, messageSetArgument(), mailboxArgument());
            case "SEARCH" -> new SearchParser(in, limits).search(tag, numbering);
            case "SORT" -> new SearchParser(in, limits).sort(tag, numbering);
            case "THREAD" -> new SearchParser(in, limits).thread(tag, numbering);
            default -> throw in.error("unknown command");
        };
    }

    private String mailboxArgument() throws SyntaxError {
        in.sp();
        return in.astring();
    }

    private MessageSet messageSetArgument() throws SyntaxError {
        in.sp();
        return in.messageSet(limits.maxRanges());
    }

    /** RFC 9051 §6.2.2, RFC 4959 (SASL-IR): AUTHENTICATE mechanism [SP (base64 / "=")]. */
    private ImapCommand authenticate() throws SyntaxError {
        in.sp();
        String mechanism = in.word();
        Optional<String> initial = Optional.empty();
        if (in.skip(' ')) {
            String response = in.token(CommandParser::isBase64Char, "base64");
            if (!response.equals("=") && !isBase64(response)) {
                throw in.error("invalid base64");
            }
            initial = Optional.of(response);
        }
        return new ImapCommand.Authenticate(tag, mechanism, initial);
    }

    private static boolean isBase64Char(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || Syntax.isDigit(c) || c == '+' || c == '/' || c == '=';
    }

    /** base64 = *(4base64-char) [base64-terminal]: groups of four, '=' padding only at the end. */
    static boolean isBase64(String s) {
        int pad = s.indexOf('=');
        int data = pad < 0 ? s.length() : pad;
        return s.length() % 4 == 0 && s.length() - data <= 2 && s.substring(data).chars().allMatch(c -> c == '=');
    }

    private ImapCommand login() throws SyntaxError {
        in.sp();
        String user = in.astring();
        in.sp();
        return new ImapCommand.Login(tag, user, in.astring());
    }

    /** RFC 5161 §3.1: ENABLE 1*(SP capability). */
    private ImapCommand enable() throws SyntaxError {
        List<String> capabilities = new ArrayList<>();
        do {
            in.sp();
            capabilities.add(in.word());
        } while (!in.atEnd());
        return new ImapCommand.Enable(tag, capabilities);
    }

    /** RFC 2971 §4: ID SP ("(" [string SP nstring *(SP string SP nstring)] ")" / NIL). */
    private ImapCommand id() throws SyntaxError {
        in.sp();
        Map<String, String> fields = new LinkedHashMap<>();
        if (in.peek() != '(') {
            if (!in.word().equals("NIL")) {
                throw in.error("expected ( or NIL");
            }
            return new ImapCommand.Id(tag, fields);
        }
        record Field(String name, String value) {}
        List<Field> list = in.list(0, () -> {
            String name = in.string();
            in.sp();
            return new Field(name, in.nstring());
        });
        for (Field f : list) {
            if (list.size() > ID_MAX_PAIRS || f.name().length() > 30 || f.value() != null && f.value().length() > 1024) {
                throw in.error("ID parameters beyond RFC 2971 limits");
            }
            if (f.value() != null) {
                fields.putIfAbsent(f.name(), f.value());
            }
        }
        return new ImapCommand.Id(tag, fields);
    }

    /** SELECT / EXAMINE mailbox [SP "(" select-param *(SP select-param) ")"] (RFC 4466 §2.1, RFC 7162). */
    private ImapCommand select(String name) throws SyntaxError {
        String mailbox = mailboxArgument();
        SelectParams params = SelectParams.NONE;
        if (in.skip(' ')) {
            params = new SelectParser(in, limits).params();
        }
        return name.equals("SELECT")
                ? new ImapCommand.Select(tag, mailbox, params)
                : new ImapCommand.Examine(tag, mailbox, params);
    }

    /** CREATE mailbox [SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"] (RFC 4466, RFC 6154 §3). */
    private ImapCommand create() throws SyntaxError {
        String mailbox = mailboxArgument();
        List<String> use = List.of();
        if (in.skip(' ')) {
            in.expect('(');
            if (!in.word().equals("USE")) {
                throw in.error("unknown CREATE parameter");
            }
            in.sp();
            use = in.list(0, () -> {
                in.expect('\\');
                return specialUse("\\" + in.atom());
            });
            in.expect(')');
        }
        return new ImapCommand.Create(tag, mailbox, use);
    }

    /** RFC 6154 §2 attributes in their usual spelling; others (answered NO [USEATTR]) as given. */
    private static String specialUse(String attribute) {
        for (String known : List.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash")) {
            if (known.equalsIgnoreCase(attribute)) {
                return known;
            }
        }
        return attribute;
    }

    /** APPEND mailbox [SP flag-list] [SP date-time] SP (literal / literal8 / "UTF8" SP "(" literal8 ")"). */
    private ImapCommand append() throws SyntaxError {
        String mailbox = mailboxArgument();
        in.sp();
        Flags flags = Flags.EMPTY;
        if (in.peek() == '(') {
            flags = flagList();
            in.sp();
        }
        Optional<OffsetDateTime> date = Optional.empty();
        if (in.peek() == '"') {
            date = ImapDates.parseDateTime(in.string());
            if (date.isEmpty()) {
                throw in.error("invalid date-time");
            }
            in.sp();
        }
        if (in.peek() == Lexer.LITERAL) {
            return new ImapCommand.Append(tag, mailbox, flags, date, in.literal(), false);
        }
        // RFC 6855 §4: UTF8 (~{n}) carries a message with UTF-8 headers.
        if (!in.word().equals("UTF8")) {
            throw in.error("expected message literal");
        }
        in.sp();
        in.expect('(');
        Literal message = in.literal();
        in.expect(')');
        if (!message.binary()) {
            throw in.error("UTF8 data must be a literal8");
        }
        return new ImapCommand.Append(tag, mailbox, flags, date, message, true);
    }

    /** STORE set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP store-att-flags (RFC 7162 §3.1.3). */
    private ImapCommand store(Numbering numbering) throws SyntaxError {
        MessageSet set = messageSetArgument();
        in.sp();
        OptionalLong unchangedSince = OptionalLong.empty();
        if (in.skip('(')) {
            if (!in.word().equals("UNCHANGEDSINCE")) {
                throw in.error("unknown STORE modifier");
            }
            in.sp();
            unchangedSince = OptionalLong.of(in.number(MAX_MODSEQ));
            in.expect(')');
            in.sp();
        }
        String item = Syntax.upper(in.token(c -> c == '+' || c == '-' || c == '.' || Character.isLetter(c) && c < 0x80,
                "flags item"));
        boolean silent = item.endsWith(".SILENT");
        StoreAction.Mode mode = switch (silent ? item.substring(0, item.length() - 7) : item) {
            case "FLAGS" -> StoreAction.Mode.REPLACE;
            case "+FLAGS" -> StoreAction.Mode.ADD;
            case "-FLAGS" -> StoreAction.Mode.REMOVE;
            default -> throw in.error("expected FLAGS, +FLAGS or -FLAGS");
        };
        in.sp();
        Flags flags;
        if (in.peek() == '(') {
            flags = flagList();
        } else {
            List<String> names = new ArrayList<>();
            do {
                names.add(flag());
            } while (in.skip(' '));
            flags = toFlags(names);
        }
        return new ImapCommand.Store(tag, numbering, set, new StoreAction(mode, flags, silent), unchangedSince);
    }

    private ImapCommand fetch(Numbering numbering) throws SyntaxError {
        MessageSet set = messageSetArgument();
        in.sp();
        FetchParser fetch = new FetchParser(in);
        List<FetchItem> items = fetch.items();
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        if (in.skip(' ')) {
            FetchParser.Modifiers m = fetch.modifiers();
            changedSince = m.changedSince();
            vanished = m.vanished();
        }
        // RFC 7162 §3.2.6: VANISHED only with UID FETCH and together with CHANGEDSINCE.
        if (vanished && (numbering != Numbering.UID || changedSince.isEmpty())) {
            throw in.error("VANISHED needs UID FETCH and CHANGEDSINCE");
        }
        return new ImapCommand.Fetch(tag, numbering, set, items, changedSince, vanished);
    }

    /** SETQUOTA quota-root SP "(" [resource SP number64 *(SP resource SP number64)] ")" (RFC 9208 §4.3.3). */
    private ImapCommand setQuota() throws SyntaxError {
        String root = mailboxArgument();
        in.sp();
        Map<String, Long> resources = new LinkedHashMap<>();
        for (Map.Entry<String, Long> limit : in.list(0, () -> {
            String resource = in.word();
            in.sp();
            return Map.entry(resource, in.number(Long.MAX_VALUE));
        })) {
            if (resources.put(limit.getKey(), limit.getValue()) != null) {
                throw in.error("resource given twice");
            }
        }
        return new ImapCommand.SetQuota(tag, root, resources);
    }

    private ImapCommand compress() throws SyntaxError {
        in.sp();
        return new ImapCommand.Compress(tag, in.word());
    }

    /** flag-list = "(" [flag *(SP flag)] ")". */
    private Flags flagList() throws SyntaxError {
        return toFlags(in.list(0, this::flag));
    }

    /** flag = "\" atom / flag-keyword. */
    private String flag() throws SyntaxError {
        return in.skip('\\') ? "\\" + in.atom() : in.atom();
    }

    private Flags toFlags(List<String> names) throws SyntaxError {
        Optional<Flags> flags = Flags.of(names);
        if (flags.isEmpty()) {
            throw in.error("flag that cannot be set");
        }
        return flags.get();
    }
}
