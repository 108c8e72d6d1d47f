package org.postwerk.auth.dkim;

/** The outcome of parsing a DKIM text (a signature or a key record): a value, or why it is unusable. */
public sealed interface Parsed<T> {
    record Ok<T>(T value) implements Parsed<T> {}

    record Invalid<T>(String reason) implements Parsed<T> {}
}
