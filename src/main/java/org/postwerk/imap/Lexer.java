package org.postwerk.imap;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Tokens of one {@link RawCommand} (RFC 9051 §4, §9): atoms, numbers, astrings, quoted strings and literals,
 * over the line pieces and the literals between them. A literal is a token of its own: {@link #peek} shows
 * {@link #LITERAL} at the end of a piece that one follows. Throws {@link SyntaxError} on anything that does
 * not fit; the parser turns it into a BAD.
 */
final class Lexer {
    static final int END = -1;
    static final int LITERAL = -2;

    /** A syntax error; cheap (no stack trace), caught by the parser. */
    static final class SyntaxError extends Exception {
        SyntaxError(String reason) {
            super(reason, null, false, false);
        }
    }

    private final List<byte[]> lines;
    private final List<Literal> literals;
    private int piece;
    private int pos;

    Lexer(RawCommand command) {
        this.lines = command.lines();
        this.literals = command.literals();
    }

    SyntaxError error(String reason) {
        return new SyntaxError(reason);
    }

    int peek() {
        byte[] line = lines.get(piece);
        if (pos < line.length) {
            return line[pos] & 0xff;
        }
        return piece < literals.size() ? LITERAL : END;
    }

    boolean atEnd() {
        return peek() == END;
    }

    void end() throws SyntaxError {
        if (!atEnd()) {
            throw error("unexpected characters at the end");
        }
    }

    /**
     * Consumes {@code word} (any case) when it comes next as a whole atom, i.e. followed by SP, ')' or the
     * end; otherwise consumes nothing.
     */
    boolean skipWord(String word) {
        byte[] line = lines.get(piece);
        int end = pos + word.length();
        if (end > line.length || !new String(line, pos, word.length(), StandardCharsets.ISO_8859_1)
                .equalsIgnoreCase(word)) {
            return false;
        }
        if (end < line.length && Syntax.isAtomChar(line[end] & 0xff)) {
            return false;
        }
        pos = end;
        return true;
    }

    boolean skip(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expect(char c) throws SyntaxError {
        if (!skip(c)) {
            throw error("expected '" + c + "'");
        }
    }

    /** Exactly one SP (RFC 9051 §9 note 2). */
    void sp() throws SyntaxError {
        expect(' ');
    }

    /** 1 or more octets matching {@code accept} (ASCII), as a string. */
    String token(IntPredicate accept, String what) throws SyntaxError {
        return new String(tokenBytes(accept, what), StandardCharsets.ISO_8859_1);
    }

    String atom() throws SyntaxError {
        return token(Syntax::isAtomChar, "atom");
    }

    /** An atom in upper case: command names and keywords of the grammar are case-insensitive. */
    String word() throws SyntaxError {
        return Syntax.upper(atom());
    }

    /** Reads one element of a parenthesised list. */
    @FunctionalInterface
    interface Element<T> {
        T read() throws SyntaxError;
    }

    /** "(" [element *(SP element)] ")", with at least {@code minimum} (0 or 1) elements. */
    <T> List<T> list(int minimum, Element<T> element) throws SyntaxError {
        expect('(');
        List<T> elements = new java.util.ArrayList<>();
        if (minimum == 0 && skip(')')) {
            return elements;
        }
        do {
            elements.add(element.read());
        } while (skip(' '));
        expect(')');
        return elements;
    }

    /** A word naming a constant of {@code type} (any case), e.g. a sort key. */
    <E extends Enum<E>> E word(Class<E> type, String what) throws SyntaxError {
        String word = word();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(word)) {
                return constant;
            }
        }
        throw error("unknown " + what);
    }

    /** number (or number64): 1*DIGIT, at most {@code max}. */
    long number(long max) throws SyntaxError {
        String digits = token(Syntax::isDigit, "number");
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(i) - '0';
            if (n > (max - digit) / 10) { // n * 10 + digit > max, without overflowing
                throw error("number too large");
            }
            n = n * 10 + digit;
        }
        return n;
    }

    long nzNumber(long max) throws SyntaxError {
        long n = number(max);
        if (n == 0) {
            throw error("zero not allowed");
        }
        return n;
    }

    /**
     * astring = 1*ASTRING-CHAR / string. Octets of 8 bits are accepted in the atom form too (the grammar
     * wants them quoted; some clients do not), as long as they are UTF-8.
     */
    String astring() throws SyntaxError {
        int c = peek();
        if (c == '"' || c == LITERAL) {
            return string();
        }
        return utf8(tokenBytes(b -> Syntax.isAstringChar(b) || b >= 0x80, "astring"));
    }

    /** list-mailbox = 1*list-char / string: an astring that may hold the wildcards % and *. */
    String listMailbox() throws SyntaxError {
        int c = peek();
        if (c == '"' || c == LITERAL) {
            return string();
        }
        return utf8(tokenBytes(b -> Syntax.isListChar(b) || b >= 0x80, "mailbox pattern"));
    }

    /** nstring: a string, or null for NIL. */
    String nstring() throws SyntaxError {
        int c = peek();
        if (c == '"' || c == LITERAL) {
            return string();
        }
        if (!word().equals("NIL")) {
            throw error("expected string or NIL");
        }
        return null;
    }

    /** string = quoted / literal. */
    String string() throws SyntaxError {
        if (peek() == '"') {
            return quoted();
        }
        if (peek() != LITERAL) {
            throw error("expected string");
        }
        Literal literal = literal();
        if (!(literal instanceof Literal.Bytes bytes) || literal.binary()) {
            throw error("literal not allowed here");
        }
        for (byte b : bytes.octets()) {
            if (b == 0) {
                throw error("NUL in literal"); // CHAR8 = %x01-ff
            }
        }
        return utf8(bytes.octets());
    }

    /** The literal that follows the current piece, of any kind; moves to the next piece. */
    Literal literal() throws SyntaxError {
        if (peek() != LITERAL) {
            throw error("expected literal");
        }
        Literal literal = literals.get(piece);
        piece++;
        pos = 0;
        return literal;
    }

    /** quoted = DQUOTE *QUOTED-CHAR DQUOTE; only {@code \"} and {@code \\} are escapes. */
    private String quoted() throws SyntaxError {
        expect('"');
        byte[] line = lines.get(piece);
        byte[] out = new byte[line.length - pos];
        int n = 0;
        while (true) {
            if (pos >= line.length) {
                throw error("unterminated quoted string");
            }
            byte b = line[pos++];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                if (pos >= line.length || line[pos] != '"' && line[pos] != '\\') {
                    throw error("invalid escape in quoted string");
                }
                b = line[pos++];
            } else if (b == 0 || b == '\r' || b == '\n') {
                throw error("invalid character in quoted string");
            }
            out[n++] = b;
        }
        return utf8(java.util.Arrays.copyOf(out, n));
    }

    private byte[] tokenBytes(IntPredicate accept, String what) throws SyntaxError {
        byte[] line = lines.get(piece);
        int start = pos;
        while (pos < line.length && accept.test(line[pos] & 0xff)) {
            pos++;
        }
        if (pos == start) {
            throw error("expected " + what);
        }
        return java.util.Arrays.copyOfRange(line, start, pos);
    }

    /** Strict UTF-8 (US-ASCII is a subset); RFC 9051 §6.4.4: strings are UTF-8 or US-ASCII. */
    private String utf8(byte[] bytes) throws SyntaxError {
        boolean ascii = true;
        for (byte b : bytes) {
            ascii &= b >= 0;
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII); // the common case, without a decoder
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error("invalid UTF-8");
        }
    }

    /**
     * sequence-set (RFC 9051 §9) or {@code $} (seq-last-command); at most {@code maxRanges} ranges.
     */
    MessageSet messageSet(int maxRanges) throws SyntaxError {
        if (skip('$')) {
            return MessageSet.SAVED;
        }
        String text = token(c -> Syntax.isDigit(c) || c == ':' || c == ',' || c == '*', "sequence set");
        SequenceSet set = SequenceSet.parse(text, maxRanges);
        if (set == null) {
            throw error("invalid sequence set");
        }
        return set;
    }
}
