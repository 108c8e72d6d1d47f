package org.postwerk.auth.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Canonicalises a message body as it streams past and hashes it (RFC 6376 §3.4.3, §3.4.4, §3.7), in any
 * chunking. Empty lines are held back until a non-empty line follows, so trailing empty lines vanish without
 * buffering the body; for relaxed, white space is held back the same way. With a limit (the l= tag) only
 * that many canonical bytes are hashed, but all are counted so the caller can tell if l= exceeds the body.
 */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's body canonicalisation)
public final class BodyHasher {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final Canonicalization canon;
    private final long limit;
    private final MessageDigest digest;
    private final byte[] out = new byte[8192];
    private int outLength;
    private long canonicalLength;
    private long pendingEmptyLines;
    private boolean pendingSpace;
    private boolean pendingCr;
    private boolean lineHasContent;

    /** @param limit the l= value, or -1 for the whole body */
    public BodyHasher(Canonicalization canon, long limit) {
        this.canon = canon;
        this.limit = limit;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            take(b[i]);
        }
    }

    private void take(byte c) {
        if (pendingCr) {
            pendingCr = false;
            if (c == LF) {
                endOfLine();
                return;
            }
            content(CR); // a bare CR is ordinary text
        }
        if (c == CR) {
            pendingCr = true;
        } else if (canon == Canonicalization.RELAXED && (c == ' ' || c == '\t')) {
            pendingSpace = true; // §3.4.4: a WSP run becomes one SP, and none at the end of a line
        } else {
            content(c);
        }
    }

    private void endOfLine() {
        pendingSpace = false;
        if (lineHasContent) {
            emit(CR);
            emit(LF);
            lineHasContent = false;
        } else {
            pendingEmptyLines++;
        }
    }

    private void content(byte c) {
        for (; pendingEmptyLines > 0; pendingEmptyLines--) {
            emit(CR);
            emit(LF);
        }
        if (pendingSpace) {
            pendingSpace = false;
            emit((byte) ' ');
        }
        emit(c);
        lineHasContent = true;
    }

    private void emit(byte c) {
        canonicalLength++;
        if (limit >= 0 && canonicalLength > limit) {
            return;
        }
        out[outLength++] = c;
        if (outLength == out.length) {
            digest.update(out, 0, outLength);
            outLength = 0;
        }
    }

    /** Ends the body: a last line without CRLF gets one; an empty simple body is one CRLF (§3.4.3). */
    public Result finish() {
        if (pendingCr) {
            pendingCr = false;
            content(CR);
        }
        pendingSpace = false;
        if (lineHasContent) {
            emit(CR);
            emit(LF);
        } else if (canon == Canonicalization.SIMPLE && canonicalLength == 0) {
            emit(CR);
            emit(LF);
        }
        digest.update(out, 0, outLength);
        outLength = 0;
        return new Result(digest.digest(), canonicalLength);
    }

    /** The hash of the (possibly truncated) canonical body and the full canonical length. */
    public record Result(byte[] hash, long canonicalLength) {}
}
