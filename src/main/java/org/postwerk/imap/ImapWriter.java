package org.postwerk.imap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds IMAP response syntax (RFC 9051 §4, §9) into a byte buffer: atoms, numbers, NIL, strings as quoted or
 * literal, parenthesised lists. It chooses the string form: a quoted string when the value is short and holds no
 * CR, LF, NUL or (without UTF-8) 8-bit octets; a literal otherwise, so any value can be written safely.
 * Not thread-safe: one per response being built.
 */
public final class ImapWriter {
    /** Longer values go out as literals even when they could be quoted: easier on clients' line buffers. */
    static final int MAX_QUOTED = 1024;

    private final ByteArrayOutputStream out;
    private final boolean utf8;
    private boolean needSpace;

    /** @param utf8 the client may receive UTF-8 in quoted strings (IMAP4rev2, or UTF8=ACCEPT enabled) */
    public ImapWriter(boolean utf8) {
        this(new ByteArrayOutputStream(256), utf8);
    }

    public ImapWriter(ByteArrayOutputStream out, boolean utf8) {
        this.out = out;
        this.utf8 = utf8;
    }

    /** An atom or any other token written as is (a flag, a keyword such as {@code FLAGS}); must be valid syntax. */
    public ImapWriter atom(String atom) {
        space();
        out.writeBytes(atom.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** An atom already in octets (a FETCH item's name, built once per command). */
    public ImapWriter atom(byte[] atom) {
        space();
        out.writeBytes(atom);
        return this;
    }

    /** A number, its digits written straight into the buffer (FETCH writes two per message). */
    public ImapWriter number(long n) {
        if (n < 0) {
            return atom(Long.toString(n));
        }
        space();
        digits(n);
        return this;
    }

    private void digits(long n) {
        byte[] d = new byte[20];
        int i = d.length;
        do {
            d[--i] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        out.write(d, i, d.length - i);
    }

    public ImapWriter nil() {
        return atom("NIL");
    }

    /** An nstring: NIL for null, otherwise a string. */
    public ImapWriter nstring(String value) {
        return value == null ? nil() : string(value);
    }

    /** A string (quoted or literal, whichever is safe). */
    public ImapWriter string(String value) {
        return string(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A string of raw octets (quoted when safe, else a literal). */
    public ImapWriter string(byte[] value) {
        space();
        if (quotable(value)) {
            out.write('"');
            for (byte b : value) {
                if (b == '"' || b == '\\') {
                    out.write('\\');
                }
                out.write(b);
            }
            out.write('"');
        } else {
            writeLiteral(value);
        }
        return this;
    }

    /** Always a literal: {@code {n}CRLF} then the octets (for message content). */
    public ImapWriter literal(byte[] value) {
        space();
        writeLiteral(value);
        return this;
    }

    private void writeLiteral(byte[] value) {
        out.write('{');
        digits(value.length);
        out.write('}');
        out.write('\r');
        out.write('\n');
        out.writeBytes(value);
    }

    /** A flag list, e.g. {@code (\\Seen $Junk)}. */
    public ImapWriter flags(Flags flags) {
        open();
        flags.names().forEach(this::atom);
        return close();
    }

    /** A mailbox name in the client's form: UTF-8, or modified UTF-7 for IMAP4rev1 clients (RFC 9051 §5.1). */
    public ImapWriter mailbox(MailboxName name) {
        return string(name.toWire(utf8));
    }

    /** A date-time in quotes (INTERNALDATE, RFC 9051 §9). */
    public ImapWriter dateTime(java.time.OffsetDateTime time) {
        return string(ImapDates.formatDateTime(time));
    }

    /** Starts a parenthesised list; the next token follows the parenthesis without a space. */
    public ImapWriter open() {
        space();
        out.write('(');
        needSpace = false;
        return this;
    }

    public ImapWriter close() {
        out.write(')');
        needSpace = true;
        return this;
    }

    /** Text written exactly as given, with no separating space (e.g. {@code BODY[1.2]<0>}). */
    public ImapWriter raw(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        needSpace = true;
        return this;
    }

    /** The next token follows without a separating space. */
    public ImapWriter glue() {
        needSpace = false;
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private void space() {
        if (needSpace) {
            out.write(' ');
        }
        needSpace = true;
    }

    private boolean quotable(byte[] value) {
        if (value.length > MAX_QUOTED) {
            return false;
        }
        for (byte b : value) {
            if (b == '\r' || b == '\n' || b == 0 || b < 0 && !utf8) {
                return false;
            }
        }
        return true;
    }
}
