package org.postwerk.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Sits between the client's content (DATA after dot-unstuffing, or BDAT chunks) and the durable draft:
 * counts the size, checks text lines (RFC 5321 §2.3.8: CR and LF only as CRLF, or a bare LF stored as CRLF;
 * §4.5.3.1.6: 1000 octets with CRLF), drops header fields the {@link Edits} say to drop (Return-Path, forged
 * Authentication-Results) and adds fields at the end of the header section (RFC 6409 §8: Message-ID and Date
 * for submissions). An observer (the message authentication checks) sees the content as received, with the
 * line ends as stored.
 *
 * <p>After the first problem nothing more reaches the draft (it will be discarded), but the content is still
 * consumed, so the session stays in sync with the client. Header fields are inspected one line at a time;
 * body bytes pass straight through.
 */
final class MessageWriter extends OutputStream {
    /** What was wrong with the content, if anything. */
    enum Problem { NONE, TOO_BIG, BARE_LINE_END, LINE_TOO_LONG }

    /** How text lines are checked. */
    enum Lines {
        /** A bare CR or LF is a problem, and so is a line over the limit. */
        STRICT,
        /** A bare LF is stored as CRLF (before anything else sees it); a bare CR is a problem. */
        NORMALIZE_LF,
        /** Not checked at all (BODY=BINARYMIME, RFC 3030 §3). */
        UNCHECKED
    }

    /** What to change in the header section. */
    interface Edits {
        /** True to drop the field; {@code name} is lower case, {@code value} the whole value, unfolded. */
        boolean drop(String name, String value);

        /** Given the lower-case names of the fields seen, the fields to add (CRLF-terminated) or nothing. */
        byte[] additions(Set<String> seen);
    }
    /** Header lines longer than this (only possible without line checks: BINARYMIME) end header processing. */
    private static final int MAX_HEADER_LINE = 64 * 1024;

    private final OutputStream target;
    private final OutputStream observer;
    private final long maxSize;
    private final int maxLine;
    private final Lines lines;
    private final Edits edits;

    private long size;
    private int lineLength;
    private boolean prevCr;
    /** The client's last byte was a CR (before any CR was added). */
    private boolean receivedCr;
    private Problem problem = Problem.NONE;

    private boolean inHeaders = true;
    private byte[] headerLine = new byte[256];
    private int headerLength;
    /** The header field being collected (all its lines), decided on as a whole once it is complete. */
    private final java.io.ByteArrayOutputStream field = new java.io.ByteArrayOutputStream();
    private String fieldName;
    /** Fields longer than this are not held: decided on their name alone (a huge forged field is dropped). */
    private static final int MAX_FIELD = 64 * 1024;
    private boolean fieldOverflow;
    private final Set<String> seen = new HashSet<>();
    private int received;
    private String messageId;
    private boolean tlsNotRequired;

    MessageWriter(OutputStream target, OutputStream observer, long maxSize, int maxLine, Lines lines, Edits edits) {
        this.target = target;
        this.observer = observer;
        this.maxSize = maxSize;
        this.maxLine = maxLine;
        this.lines = lines;
        this.edits = edits;
    }

    long size() {
        return size;
    }

    Problem problem() {
        return problem;
    }

    /** How many Received fields the message arrived with (its hop count, RFC 5321 §6.3). */
    int receivedCount() {
        return received;
    }

    /** The message has a {@code TLS-Required: No} field (RFC 8689 §3; the value is case-insensitive ABNF). */
    boolean tlsNotRequired() {
        return tlsNotRequired;
    }

    /** The value of the first Message-ID field the message arrived with (unfolded), or null. */
    String messageId() {
        return messageId;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (lines != Lines.NORMALIZE_LF) {
            accept(b, off, len);
            return;
        }
        int end = off + len;
        int start = off;
        for (int i = off; i < end; i++) {
            if (b[i] == '\n' && !(i > off ? b[i - 1] == '\r' : receivedCr)) {
                accept(b, start, i - start);
                accept(CR, 0, 1);
                start = i;
            }
        }
        accept(b, start, end - start);
        if (len > 0) {
            receivedCr = b[end - 1] == '\r';
        }
    }

    /** The content as stored (line ends normalized): counted, checked, observed, edited, written. */
    private void accept(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        size += len;
        if (size > maxSize) {
            fail(Problem.TOO_BIG);
        }
        if (lines != Lines.UNCHECKED) {
            checkLines(b, off, len);
        }
        if (problem != Problem.NONE) {
            return;
        }
        observer.write(b, off, len);
        if (!inHeaders) {
            target.write(b, off, len);
            return;
        }
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (headerLength == headerLine.length) {
                if (headerLength >= MAX_HEADER_LINE) {
                    endHeaders(false);
                    target.write(b, i, end - i);
                    return;
                }
                headerLine = java.util.Arrays.copyOf(headerLine, headerLength * 2);
            }
            headerLine[headerLength++] = b[i];
            if (b[i] == '\n') {
                headerLineDone();
                if (!inHeaders) {
                    target.write(b, i + 1, end - i - 1);
                    return;
                }
            }
        }
    }

    private void checkLines(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (prevCr && c != '\n' || c == '\n' && !prevCr) {
                fail(Problem.BARE_LINE_END);
            }
            if (c == '\n') {
                lineLength = 0;
            } else if (++lineLength > maxLine - 1) { // counting the CR; the LF makes maxLine
                fail(Problem.LINE_TOO_LONG);
            }
            prevCr = c == '\r';
        }
    }

    private void fail(Problem p) {
        if (problem == Problem.NONE) {
            problem = p;
        }
    }

    /** One complete header-section line (ending in LF) is in {@code headerLine}. */
    private void headerLineDone() throws IOException {
        int n = headerLength;
        headerLength = 0;
        boolean blank = n <= 2 && (n == 1 || headerLine[0] == '\r');
        if (blank) {
            endHeaders(false);
            target.write(headerLine, 0, n);
            return;
        }
        byte first = headerLine[0];
        if (first == ' ' || first == '\t') {
            continueField(n); // continuation of the current field (RFC 5322 §2.2.3)
            return;
        }
        String name = fieldName(n);
        if (name == null) {
            // Not a header field: the body started without the empty line. Insert it (as Postfix does).
            endHeaders(true);
            target.write(headerLine, 0, n);
            return;
        }
        flushField();
        seen.add(name);
        if (name.equals("received")) {
            received++;
        }
        fieldName = name;
        field.write(headerLine, 0, n);
    }

    private void continueField(int n) throws IOException {
        if (fieldName == null) {
            target.write(headerLine, 0, n); // a continuation before any field: leave it alone
        } else if (fieldOverflow) {
            if (!edits.drop(fieldName, "")) {
                target.write(headerLine, 0, n);
            }
        } else if (field.size() + n > MAX_FIELD) {
            fieldOverflow = true;
            if (!edits.drop(fieldName, "")) {
                field.writeTo(target);
                target.write(headerLine, 0, n);
            }
            field.reset();
        } else {
            field.write(headerLine, 0, n);
        }
    }

    /** The collected field is complete: write it unless the edits drop it (judged on the unfolded value). */
    private void flushField() throws IOException {
        if (fieldName != null && !fieldOverflow) {
            String text = field.toString(StandardCharsets.UTF_8);
            String value = text.substring(text.indexOf(':') + 1).replace("\r\n", "").strip();
            if (fieldName.equals("message-id") && messageId == null) {
                messageId = value;
            }
            tlsNotRequired |= fieldName.equals("tls-required") && value.equalsIgnoreCase("no");
            if (!edits.drop(fieldName, value)) {
                field.writeTo(target);
            }
        }
        field.reset();
        fieldName = null;
        fieldOverflow = false;
    }

    /** The lower-case field name if the line is {@code name:...} (RFC 5322 §3.6.8 ftext), else null. */
    private String fieldName(int n) {
        for (int i = 0; i < n; i++) {
            byte c = headerLine[i];
            if (c == ':') {
                return i == 0 ? null : new String(headerLine, 0, i, StandardCharsets.US_ASCII)
                        .stripTrailing().toLowerCase(Locale.ROOT);
            }
            if (c < 33 || c > 126) {
                // RFC 822 allowed WSP before the colon ("Subject :"); accept it, reject anything else.
                if ((c == ' ' || c == '\t') && onlyWspUntilColon(i, n)) {
                    continue;
                }
                return null;
            }
        }
        return null;
    }

    private boolean onlyWspUntilColon(int from, int n) {
        for (int i = from; i < n; i++) {
            if (headerLine[i] == ':') {
                return true;
            }
            if (headerLine[i] != ' ' && headerLine[i] != '\t') {
                return false;
            }
        }
        return false;
    }

    private void endHeaders(boolean insertBlankLine) throws IOException {
        flushField();
        inHeaders = false;
        if (headerLength > 0) { // an over-long line (binary content): pass it on untouched, add nothing
            target.write(headerLine, 0, headerLength);
            headerLength = 0;
            return;
        }
        target.write(edits.additions(seen));
        if (insertBlankLine) {
            target.write(CRLF);
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CR = {'\r'};



    /** Call when the content is complete: flushes what a header section without body still holds. */
    void finish() throws IOException {
        if (lines != Lines.UNCHECKED && prevCr) {
            fail(Problem.BARE_LINE_END);
        }
        if (problem == Problem.NONE && inHeaders) {
            if (headerLength > 0) { // last line without CRLF (only possible with BDAT)
                flushField();
                target.write(headerLine, 0, headerLength);
                headerLength = 0;
                inHeaders = false;
            } else {
                endHeaders(false);
            }
        }
    }
}
