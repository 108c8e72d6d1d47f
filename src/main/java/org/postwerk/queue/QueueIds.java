package org.postwerk.queue;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for messages the queue makes itself (DSNs, sendmail): time-sortable and safe as file names, like the
 * session's ids but with a distinct prefix so the two generators never collide.
 */
public final class QueueIds {
    private static final char[] DIGITS = "0123456789bcdfghjklmnpqrstvwxyz".toCharArray();
    private final String process = encode(new SecureRandom().nextInt(1 << 20), 4);
    private final AtomicLong sequence = new AtomicLong();

    public String next(long millis) {
        return encode(millis, 9) + "q" + process + encode(sequence.incrementAndGet(), 4);
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
