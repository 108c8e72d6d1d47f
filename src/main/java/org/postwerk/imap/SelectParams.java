package org.postwerk.imap;

import java.util.Optional;

/**
 * The select-params of SELECT and EXAMINE (RFC 4466 §2.1): {@code (CONDSTORE)} (RFC 7162 §3.1.8) and
 * {@code (QRESYNC (uidvalidity modseq [known-uids [seq-match-data]]))} (RFC 7162 §3.2.5).
 */
public record SelectParams(boolean condstore, Optional<QResync> qresync) {
    public static final SelectParams NONE = new SelectParams(false, Optional.empty());

    /**
     * What the client knew: the UIDVALIDITY and MODSEQ it last saw, optionally the UIDs it holds, and
     * optionally pairs of sequence numbers and UIDs so that the server can find the first expunged one.
     * None of these sets holds {@code *}.
     */
    public record QResync(long uidValidity, long modseq, Optional<SequenceSet> knownUids,
            Optional<SequenceSet> knownSequenceNumbers, Optional<SequenceSet> knownSequenceUids) {}
}
