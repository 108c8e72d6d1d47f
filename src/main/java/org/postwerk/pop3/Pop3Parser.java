package org.postwerk.pop3;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns one command line (without its CRLF) into a {@link Pop3Command}. Pure. RFC 1939 §3: a keyword of three
 * or four characters, case-insensitive, then arguments separated by single spaces; message numbers are
 * decimal, from 1, and we also take none longer than nine digits (a maildrop never holds a billion messages).
 */
public final class Pop3Parser {
    private Pop3Parser() {}

    public static Pop3Command parse(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? null : line.substring(space + 1);
        String[] args = rest == null || rest.isEmpty() ? new String[0] : rest.split(" ", -1);
        return switch (verb) {
            case "USER" -> args.length == 1 && !args[0].isEmpty() ? new Pop3Command.User(args[0]) : invalid(verb);
            case "PASS" -> rest != null && !rest.isEmpty() ? new Pop3Command.Pass(rest) : invalid(verb);
            case "AUTH" -> auth(args);
            case "APOP" -> new Pop3Command.Apop();
            case "STLS" -> args.length == 0 ? new Pop3Command.Stls() : invalid(verb);
            case "CAPA" -> args.length == 0 ? new Pop3Command.Capa() : invalid(verb);
            case "QUIT" -> args.length == 0 ? new Pop3Command.Quit() : invalid(verb);
            case "STAT" -> args.length == 0 ? new Pop3Command.Stat() : invalid(verb);
            case "NOOP" -> args.length == 0 ? new Pop3Command.Noop() : invalid(verb);
            case "RSET" -> args.length == 0 ? new Pop3Command.Rset() : invalid(verb);
            case "LIST" -> optionalNumber(args).<Pop3Command>map(Pop3Command.ListMessages::new).orElse(invalid(verb));
            case "UIDL" -> optionalNumber(args).<Pop3Command>map(Pop3Command.Uidl::new).orElse(invalid(verb));
            case "RETR" -> args.length == 1 && number(args[0]) > 0 ? new Pop3Command.Retr(number(args[0])) : invalid(verb);
            case "DELE" -> args.length == 1 && number(args[0]) > 0 ? new Pop3Command.Dele(number(args[0])) : invalid(verb);
            case "TOP" -> args.length == 2 && number(args[0]) > 0 && lines(args[1]) >= 0
                    ? new Pop3Command.Top(number(args[0]), lines(args[1])) : invalid(verb);
            default -> new Pop3Command.Unknown();
        };
    }

    private static Pop3Command auth(String[] args) {
        if (args.length == 0) {
            return new Pop3Command.Auth(Optional.empty(), Optional.empty());
        }
        if (args.length > 2 || args[0].isEmpty() || (args.length == 2 && args[1].isEmpty())) {
            return invalid("AUTH");
        }
        return new Pop3Command.Auth(Optional.of(args[0].toUpperCase(Locale.ROOT)),
                args.length == 2 ? Optional.of(args[1]) : Optional.empty());
    }

    private static Pop3Command invalid(String verb) {
        return new Pop3Command.Invalid(verb);
    }

    /** LIST and UIDL: no argument (all messages) or one message number; empty when the arguments are bad. */
    private static Optional<OptionalInt> optionalNumber(String[] args) {
        if (args.length == 0) {
            return Optional.of(OptionalInt.empty());
        }
        int n = args.length == 1 ? number(args[0]) : -1;
        return n > 0 ? Optional.of(OptionalInt.of(n)) : Optional.empty();
    }

    /** A message number, or -1 when the text is not one. */
    static int number(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return -1;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(s);
    }

    /** TOP's line count: any non-negative decimal; beyond nine digits it means "all of them". */
    private static int lines(String s) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return s.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(s);
    }
}
