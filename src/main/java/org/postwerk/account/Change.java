package org.postwerk.account;

/** The outcome of one change to the account files. */
public sealed interface Change {
    /** Written durably; the running server sees it on its next lookup. */
    record Applied() implements Change {}

    /** Nothing written, for this reason (fit to show the operator). */
    record Refused(String reason) implements Change {}
}
