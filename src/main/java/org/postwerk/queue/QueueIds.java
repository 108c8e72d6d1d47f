package org.postwerk.queue;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids: short, unique, sortable by time, safe as file names — base-32 of the millisecond clock, a
 * marker naming the generator (none for the SMTP server, "q" for messages the queue makes itself: DSNs,
 * sendmail), a random tag per generator (two processes never collide) and a sequence.
 */
public final class QueueIds {
    private static final char[] DIGITS = "0123456789bcdfghjklmnpqrstvwxyz".toCharArray();
    private final String marker;
    private final String process = encode(new SecureRandom().nextInt(1 << 20), 4);
    private final AtomicLong sequence = new AtomicLong();

    public QueueIds(String marker) {
        this.marker = marker;
    }

    public String next(long millis) {
        return encode(millis, 9) + marker + process + encode(sequence.incrementAndGet(), 4);
    }

    private static String encode(long value, int width) {
        char[] out = new char[width];
        long v = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = DIGITS[(int) Long.remainderUnsigned(v, DIGITS.length)];
            v = Long.divideUnsigned(v, DIGITS.length);
        }
        return new String(out);
    }
}
