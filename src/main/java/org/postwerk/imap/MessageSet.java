package org.postwerk.imap;

/**
 * The messages a command addresses: a {@link SequenceSet} of numbers, or {@code $}, the result saved by an
 * earlier {@code SEARCH RETURN (SAVE)} (RFC 5182 §2.1, RFC 9051 §6.4.4.1: {@code seq-last-command}).
 */
public sealed interface MessageSet permits SequenceSet, MessageSet.Saved {
    /** {@code $}: the saved search result, which the session keeps. */
    record Saved() implements MessageSet {
        @Override
        public String toString() {
            return "$";
        }
    }

    MessageSet SAVED = new Saved();
}
