package org.postwerk.journal;

/**
 * The kinds of journal record, one per fact its users make durable. The codes are what a segment holds on disk:
 * never renumber them (segments of an earlier version are replayed by the next one).
 */
public enum RecordType {
    /** A Maildir delivery: its final names in {@code new/} and the content ({@code store.Maildir}). */
    MAILDIR_DELIVERY(1),
    /** A new queue entry: id, envelope and content ({@code queue.Spool}). */
    QUEUE_ENTRY(2),
    /** A queue entry finished and removed, or never placed: its id. */
    QUEUE_DONE(3),
    /** A Maildir delivery whose names could not be placed after its record was committed: the names. */
    MAILDIR_CANCEL(4),
    /**
     * Changes to mailbox folders made by IMAP or POP3 (new UIDs, flags, expunges, copies; an APPENDed message's
     * content): {@code mailbox.ChangeCodec} and the content ({@code mailbox.maildir.JournalChangeLog}).
     */
    MAILBOX_CHANGE(5);

    private static final RecordType[] BY_CODE = new RecordType[6];

    static {
        for (RecordType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    final byte code;

    RecordType(int code) {
        this.code = (byte) code;
    }

    /** The type with this code, or null for a code no version of Postwerk writes. */
    static RecordType of(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * The record that takes this one back when its files could not be placed after it was committed (the
     * client was told to retry), so that a replay does not bring the message back as a duplicate.
     */
    RecordType cancelledBy() {
        return switch (this) {
            case MAILDIR_DELIVERY -> MAILDIR_CANCEL;
            case QUEUE_ENTRY -> QUEUE_DONE;
            case QUEUE_DONE, MAILDIR_CANCEL, MAILBOX_CHANGE -> throw new IllegalStateException(this + " is never cancelled");
        };
    }
}
