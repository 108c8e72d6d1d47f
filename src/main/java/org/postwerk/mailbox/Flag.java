package org.postwerk.mailbox;

/**
 * The system flags a client may set (RFC 9051 §2.3.2), with their Maildir info letters (cr.yp.to/proto/maildir,
 * as Dovecot writes them). {@code \Recent} is not stored: IMAP4rev2 dropped it, and for IMAP4rev1 clients it is
 * derived per session.
 */
public enum Flag {
    DRAFT("\\Draft", 'D'),
    FLAGGED("\\Flagged", 'F'),
    ANSWERED("\\Answered", 'R'),
    SEEN("\\Seen", 'S'),
    DELETED("\\Deleted", 'T');

    private final String imap;
    private final char maildir;

    Flag(String imap, char maildir) {
        this.imap = imap;
        this.maildir = maildir;
    }

    public String imap() {
        return imap;
    }

    public char maildir() {
        return maildir;
    }

    public int bit() {
        return 1 << ordinal();
    }

    /** The flag for an IMAP name, case-insensitive ({@code \Seen}), or null. */
    public static Flag ofImap(String name) {
        for (Flag f : values()) {
            if (f.imap.equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    /** The flag for a Maildir info letter, or null (keyword letters are lower case). */
    public static Flag ofMaildir(char c) {
        for (Flag f : values()) {
            if (f.maildir == c) {
                return f;
            }
        }
        return null;
    }
}
