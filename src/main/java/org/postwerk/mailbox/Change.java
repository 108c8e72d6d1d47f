package org.postwerk.mailbox;

import java.util.List;

/**
 * One change to one folder, with the MODSEQ it was given (RFC 7162 §3.1.1: every change gets a new,
 * higher one). A change is the unit of durability: it is written to the journal, then applied to the
 * folder's state in the order the changes were made, then mirrored to files.
 */
public sealed interface Change {
    long modseq();

    /**
     * Messages appended, delivered or copied in, with consecutive new UIDs. {@code from} names the folder a
     * COPY or MOVE took them from (their files keep their locators), null otherwise: a replay follows a
     * message's file from folder to folder.
     */
    record Added(long modseq, List<Entry> messages, String from) implements Change {
        public Added {
            messages = List.copyOf(messages);
        }

        public Added(long modseq, List<Entry> messages) {
            this(modseq, messages, null);
        }
    }

    /** New flags for some messages (STORE, or \Seen set by a FETCH of a body). */
    record FlagsSet(long modseq, List<FlagUpdate> updates) implements Change {
        public FlagsSet {
            updates = List.copyOf(updates);
        }
    }

    /** Messages removed (EXPUNGE, MOVE away); {@code locators} lets a replay remove their files again. */
    record Expunged(long modseq, long[] uids, List<String> locators) implements Change {
        public Expunged {
            locators = List.copyOf(locators);
        }
    }

    /**
     * One message as stored: UID and what {@link NewMessage} carried; for a copy, {@code origin} is the
     * locator of the message it was copied from (in {@link Added#from()}), null otherwise.
     */
    record Entry(long uid, String locator, Flags flags, long internalDate, long size, String origin) {
        public Entry(long uid, String locator, Flags flags, long internalDate, long size) {
            this(uid, locator, flags, internalDate, size, null);
        }
    }

    record FlagUpdate(long uid, String locator, Flags before, Flags after) {}
}
