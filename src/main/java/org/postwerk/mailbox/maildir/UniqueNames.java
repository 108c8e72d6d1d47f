package org.postwerk.mailbox.maildir;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique Maildir base names, {@code time.MmicrosPpidQseq.host} as the Maildir spec and Dovecot form them:
 * unique within the process by the sequence, across processes by the pid.
 */
final class UniqueNames {
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static volatile String host = "localhost";

    private UniqueNames() {}

    /** The host name part; '/' and ':' are escaped (separators in Maildir names). */
    static void host(String name) {
        host = name.replace("/", "\\057").replace(":", "\\072");
    }

    static String next() {
        long nowMicros = java.time.Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        return (nowMicros / 1_000_000) + ".M" + (nowMicros % 1_000_000) + "P" + ProcessHandle.current().pid()
                + "Q" + SEQUENCE.incrementAndGet() + "." + host;
    }
}
