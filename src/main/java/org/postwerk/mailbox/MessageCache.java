package org.postwerk.mailbox;

/**
 * Data derived from a message that FETCH and SEARCH need again and again (its header block, its MIME
 * structure), kept per folder so that they need not open the message's file. Not durable and not part of
 * the state: what is missing or damaged is derived again from the message. Thread-safe.
 */
public interface MessageCache {
    /** The cached bytes of a message, or null. */
    byte[] get(long uid);

    /** Caches the bytes of a message (replacing older ones). */
    void put(long uid, byte[] data);

    /** The decoded form of a message's data that a session kept in memory (any session of the folder), or null. */
    default Object decoded(long uid) {
        return null;
    }

    /** Keeps the decoded form of a message's data in memory, {@code size} its estimated footprint in bytes. */
    default void decoded(long uid, Object data, int size) {
    }

    MessageCache NONE = new MessageCache() {
        public byte[] get(long uid) {
            return null;
        }

        public void put(long uid, byte[] data) {}
    };
}
