package org.postwerk.smtp;

/** DSN NOTIFY values (RFC 3461 §4.1). NEVER excludes the others. */
public enum Notify {
    NEVER, SUCCESS, FAILURE, DELAY
}
