package org.postwerk.smtp.server;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue ids: short, unique, sortable by time, safe as file names — base-32 of the millisecond clock followed
 * by a per-process sequence and a random process tag (so two processes never collide).
 */
final class MessageIds {
    private static final char[] DIGITS = "0123456789BCDFGHJKLMNPQRSTVWXYZ".toLowerCase().toCharArray();
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String PROCESS = encode(new SecureRandom().nextInt(1 << 20) & 0xfffff, 4);

    private MessageIds() {}

    static String next() {
        return encode(System.currentTimeMillis(), 9) + PROCESS + encode(SEQUENCE.incrementAndGet(), 4);
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
