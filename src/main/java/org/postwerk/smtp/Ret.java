package org.postwerk.smtp;

/** DSN RET value (RFC 3461 §4.3): return the full message or only its headers. */
public enum Ret {
    FULL, HDRS
}
