package org.postwerk.sasl;

/**
 * The answer to "is this the user's password?". {@code BUSY} means the server could not check it now (too many
 * checks at once): a temporary refusal, not a failed login; the protocol says "try again later" (SMTP
 * {@code 454 4.7.0}, IMAP {@code NO [UNAVAILABLE]}, POP3 {@code -ERR [SYS/TEMP]}).
 */
public enum PasswordCheck {
    VALID,
    INVALID,
    BUSY
}
