package org.postwerk.imap;

import java.util.Optional;

/** A STATUS data item (RFC 9051 §6.3.11 and extensions), also asked for by LIST RETURN (STATUS ...). */
public enum StatusItem {
    MESSAGES("MESSAGES"),
    UIDNEXT("UIDNEXT"),
    UIDVALIDITY("UIDVALIDITY"),
    UNSEEN("UNSEEN"),
    DELETED("DELETED"),
    SIZE("SIZE"),
    /** RFC 3501 only. */
    RECENT("RECENT"),
    /** RFC 7162 §3.1.6 (CONDSTORE). */
    HIGHESTMODSEQ("HIGHESTMODSEQ"),
    /** RFC 7889 §3. */
    APPENDLIMIT("APPENDLIMIT"),
    /** RFC 9208 §4.6 (QUOTA=RES-STORAGE). */
    DELETED_STORAGE("DELETED-STORAGE");

    private final String wire;

    StatusItem(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<StatusItem> of(String name) {
        for (StatusItem item : values()) {
            if (item.wire.equalsIgnoreCase(name)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
}
