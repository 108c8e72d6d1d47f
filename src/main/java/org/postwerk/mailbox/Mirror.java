package org.postwerk.mailbox;

/**
 * What a backend does once a change is durable and published, in MODSEQ order: in Maildir, renaming a file for
 * new flags, removing an expunged one, moving a delivered one from {@code new/} to {@code cur/}. It makes the
 * files agree with the state; the journal already holds the change, so a failure here is logged, and the
 * next replay or folder load repairs it.
 */
@FunctionalInterface
public interface Mirror {
    /** @param before the published state just before the change (where the files are now) */
    void apply(Change change, Snapshot before);

    Mirror NONE = (change, before) -> {};
}
