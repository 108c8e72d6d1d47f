package org.postwerk.smtp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns one command line (without CRLF) into a {@link Command}. Pure: no session state, no I/O. Syntax
 * problems become {@link Command.Invalid} with the reply to send (RFC 5321 §4.2.2, RFC 3463 codes).
 */
public final class CommandParser {
    static final Reply UNRECOGNIZED = Reply.of(500, 5, 5, 2, "Syntax error, command unrecognized");
    static final Reply NO_ARGUMENTS = Reply.of(501, 5, 5, 4, "Syntax error, no parameters allowed");
    static final Reply ARGUMENT_REQUIRED = Reply.of(501, 5, 5, 4, "Syntax error, argument required");
    static final Reply BAD_PARAMETER = Reply.of(501, 5, 5, 4, "Syntax error in parameters");
    static final Reply UNKNOWN_PARAMETER = Reply.of(555, 5, 5, 4, "Parameter not recognized or not implemented");
    static final Reply BAD_CHARACTERS = Reply.of(500, 5, 5, 2, "Invalid characters in command");

    private CommandParser() {}

    /**
     * A command line as received, without its line end: UTF-8 (RFC 6531 §3.3 allows it in addresses), and no
     * control characters but TAB (a CR or NUL inside a command is never meant well).
     */
    public static Command parse(byte[] line, int length) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            return new Command.Invalid(Verb.UNKNOWN, BAD_CHARACTERS);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return new Command.Invalid(Verb.UNKNOWN, BAD_CHARACTERS);
            }
        }
        return parse(text);
    }

    public static Command parse(String line) {
        int sp = line.indexOf(' ');
        String word = sp < 0 ? line : line.substring(0, sp);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        Verb verb = Verb.of(word);
        if (verb.has(Verb.Flag.TAKES_ARGUMENT) && arg.isBlank()) {
            return new Command.Invalid(verb, ARGUMENT_REQUIRED);
        }
        return switch (verb) {
            case HELO -> arg.isBlank() ? new Command.Invalid(verb, ARGUMENT_REQUIRED) : new Command.Helo(arg.strip());
            case EHLO -> arg.isBlank() ? new Command.Invalid(verb, ARGUMENT_REQUIRED) : new Command.Ehlo(arg.strip());
            case MAIL -> mail(arg);
            case RCPT -> rcpt(arg);
            case DATA -> noArgument(verb, arg, new Command.Data());
            case BDAT -> bdat(arg);
            case RSET -> noArgument(verb, arg, new Command.Rset());
            case NOOP -> new Command.Noop(); // RFC 5321 §4.1.1.9: a parameter string is allowed and ignored
            case QUIT -> noArgument(verb, arg, new Command.Quit());
            case STARTTLS -> noArgument(verb, arg, new Command.StartTls());
            case VRFY -> arg.isBlank() ? new Command.Invalid(verb, ARGUMENT_REQUIRED) : new Command.Vrfy(arg.strip());
            case EXPN -> arg.isBlank() ? new Command.Invalid(verb, ARGUMENT_REQUIRED) : new Command.Expn(arg.strip());
            case HELP -> new Command.Help(arg.strip());
            case AUTH -> auth(arg);
            case UNKNOWN -> new Command.Invalid(verb, UNRECOGNIZED);
        };
    }

    private static Command noArgument(Verb verb, String arg, Command command) {
        return arg.isBlank() ? command : new Command.Invalid(verb, NO_ARGUMENTS);
    }

    /** Skips "FROM:" / "TO:" (case-insensitive) and the spaces many clients put after the colon. */
    private static int afterKeyword(String arg, String keyword) {
        if (!arg.regionMatches(true, 0, keyword, 0, keyword.length())) {
            return -1;
        }
        int i = keyword.length();
        while (i < arg.length() && arg.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static Command mail(String arg) {
        int pos = afterKeyword(arg, "FROM:");
        if (pos < 0) {
            return new Command.Invalid(Verb.MAIL, Reply.of(501, 5, 5, 4, "Syntax: MAIL FROM:<address>"));
        }
        AddressParser.Parsed path;
        try {
            path = AddressParser.parsePath(arg, pos, true);
        } catch (AddressParser.SyntaxError e) {
            return new Command.Invalid(Verb.MAIL, Reply.of(501, 5, 1, 7, "Bad sender address syntax"));
        }
        try {
            return new Command.Mail(path.mailbox(), mailParameters(arg.substring(path.end())));
        } catch (ParameterError e) {
            return new Command.Invalid(Verb.MAIL, e.reply);
        }
    }

    private static Command rcpt(String arg) {
        int pos = afterKeyword(arg, "TO:");
        if (pos < 0) {
            return new Command.Invalid(Verb.RCPT, Reply.of(501, 5, 5, 4, "Syntax: RCPT TO:<address>"));
        }
        Mailbox recipient;
        boolean postmaster = false;
        int end;
        if (arg.regionMatches(true, pos, "<postmaster>", 0, 12)) {
            // RFC 5321 §4.1.1.3: <Postmaster> without a domain must be accepted.
            recipient = new Mailbox("postmaster", "");
            postmaster = true;
            end = pos + 12;
        } else {
            try {
                AddressParser.Parsed path = AddressParser.parsePath(arg, pos, false);
                recipient = path.mailbox().orElseThrow();
                end = path.end();
            } catch (AddressParser.SyntaxError e) {
                return new Command.Invalid(Verb.RCPT, Reply.of(501, 5, 1, 3, "Bad recipient address syntax"));
            }
        }
        try {
            return new Command.Rcpt(recipient, postmaster, rcptParameters(arg.substring(end)));
        } catch (ParameterError e) {
            return new Command.Invalid(Verb.RCPT, e.reply);
        }
    }

    private static final class ParameterError extends Exception {
        final Reply reply;

        ParameterError(Reply reply) {
            super(reply.toString(), null, false, false);
            this.reply = reply;
        }
    }

    /** Splits " KEY=VALUE KEY2" into keyword/value pairs, rejecting duplicates and bad syntax. */
    private static String[][] parameters(String rest) throws ParameterError {
        if (rest.isEmpty()) {
            return new String[0][];
        }
        if (rest.charAt(0) != ' ') {
            throw new ParameterError(BAD_PARAMETER);
        }
        String[] words = rest.strip().split(" +");
        if (words.length == 1 && words[0].isEmpty()) {
            return new String[0][];
        }
        String[][] out = new String[words.length][];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            String key = (eq < 0 ? words[i] : words[i].substring(0, eq)).toUpperCase(Locale.ROOT);
            String value = eq < 0 ? null : words[i].substring(eq + 1);
            if (key.isEmpty() || !key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')
                    || (value != null && value.isEmpty()) || !seen.add(key)) {
                throw new ParameterError(BAD_PARAMETER);
            }
            out[i] = new String[] {key, value};
        }
        return out;
    }

    private static MailParameters mailParameters(String rest) throws ParameterError {
        OptionalLong size = OptionalLong.empty();
        BodyType body = BodyType.SEVEN_BIT;
        boolean utf8 = false;
        Ret ret = null;
        String envid = null;
        String auth = null;
        boolean requireTls = false;
        for (String[] p : parameters(rest)) {
            String v = p[1];
            switch (p[0]) {
                case "SIZE" -> size = OptionalLong.of(number(v, 20));
                case "BODY" -> body = switch (required(v).toUpperCase(Locale.ROOT)) {
                    case "7BIT" -> BodyType.SEVEN_BIT;
                    case "8BITMIME" -> BodyType.EIGHT_BIT_MIME;
                    case "BINARYMIME" -> BodyType.BINARY_MIME;
                    default -> throw new ParameterError(Reply.of(501, 5, 5, 4, "Unknown BODY type"));
                };
                case "SMTPUTF8" -> utf8 = flag(v);
                case "REQUIRETLS" -> requireTls = flag(v); // RFC 8689 §2: a keyword without a value
                case "RET" -> ret = switch (required(v).toUpperCase(Locale.ROOT)) {
                    case "FULL" -> Ret.FULL;
                    case "HDRS" -> Ret.HDRS;
                    default -> throw new ParameterError(Reply.of(501, 5, 5, 4, "RET must be FULL or HDRS"));
                };
                case "ENVID" -> {
                    envid = Xtext.decode(required(v));
                    if (envid == null || v.length() > 100) { // RFC 3461 §4.4: at most 100 characters
                        throw new ParameterError(Reply.of(501, 5, 5, 4, "Bad ENVID"));
                    }
                }
                case "AUTH" -> auth = required(v);
                default -> throw new ParameterError(UNKNOWN_PARAMETER);
            }
        }
        return new MailParameters(size, body, utf8, ret, envid, auth, requireTls);
    }

    /** A parameter that is a bare keyword: any value is a syntax error. */
    private static boolean flag(String value) throws ParameterError {
        if (value != null) {
            throw new ParameterError(BAD_PARAMETER);
        }
        return true;
    }

    private static RcptParameters rcptParameters(String rest) throws ParameterError {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        String orcpt = null;
        for (String[] p : parameters(rest)) {
            switch (p[0]) {
                case "NOTIFY" -> {
                    for (String n : required(p[1]).toUpperCase(Locale.ROOT).split(",", -1)) {
                        try {
                            notify.add(Notify.valueOf(n));
                        } catch (IllegalArgumentException e) {
                            throw new ParameterError(Reply.of(501, 5, 5, 4, "Bad NOTIFY value"));
                        }
                    }
                    // RFC 3461 §4.1: NEVER must not be combined with other values.
                    if (notify.contains(Notify.NEVER) && notify.size() > 1) {
                        throw new ParameterError(Reply.of(501, 5, 5, 4, "NOTIFY=NEVER cannot be combined"));
                    }
                }
                case "ORCPT" -> {
                    String v = required(p[1]);
                    int semi = v.indexOf(';');
                    if (semi <= 0 || Xtext.decode(v.substring(semi + 1)) == null || v.length() > 500) {
                        throw new ParameterError(Reply.of(501, 5, 5, 4, "Bad ORCPT"));
                    }
                    orcpt = v;
                }
                default -> throw new ParameterError(UNKNOWN_PARAMETER);
            }
        }
        return new RcptParameters(notify, orcpt);
    }

    private static String required(String v) throws ParameterError {
        if (v == null) {
            throw new ParameterError(BAD_PARAMETER);
        }
        return v;
    }

    private static long number(String v, int maxDigits) throws ParameterError {
        String s = required(v);
        if (s.length() > maxDigits || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ParameterError(BAD_PARAMETER);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // more digits than a long holds: certainly over any size limit
        }
    }

    private static Command bdat(String arg) {
        String[] parts = arg.strip().split(" +");
        if (parts.length > 2 || (parts.length == 2 && !parts[1].equalsIgnoreCase("LAST"))) {
            return new Command.Invalid(Verb.BDAT, Reply.of(501, 5, 5, 4, "Syntax: BDAT size [LAST]"));
        }
        try {
            long size = number(parts[0], 18);
            return new Command.Bdat(size, parts.length == 2);
        } catch (ParameterError e) {
            return new Command.Invalid(Verb.BDAT, Reply.of(501, 5, 5, 4, "Syntax: BDAT size [LAST]"));
        }
    }

    private static Command auth(String arg) {
        String[] parts = arg.strip().split(" +");
        if (parts.length > 2) {
            return new Command.Invalid(Verb.AUTH, BAD_PARAMETER);
        }
        return new Command.Auth(parts[0].toUpperCase(Locale.ROOT),
                parts.length == 2 ? Optional.of(parts[1]) : Optional.empty());
    }
}
