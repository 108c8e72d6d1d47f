package org.postwerk.mailbox.maildir;

/**
 * Unique Maildir base names, {@code time.MmicrosPpidQseq.host} as the Maildir spec and Dovecot form them:
 * unique within the process by the sequence, across processes by the pid.
 */
final class UniqueNames {
    private static volatile String host = "localhost";

    private UniqueNames() {}

    /** The host name part; '/' and ':' are escaped (separators in Maildir names). */
    static void host(String name) {
        host = name.replace("/", "\\057").replace(":", "\\072");
    }

    static String next() {
        return org.postwerk.store.Maildir.uniqueName(host);
    }
}
