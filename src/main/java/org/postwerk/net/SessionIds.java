package org.postwerk.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Session ids for the logs, unique across restarts and still short: a prefix from the start time (tenths of a
 * second since 1970 in base 36, 7 characters until the 23rd century, so a later start sorts later), then a
 * counter in base 36: {@code 1m2x9kq1}, {@code 1m2x9kq2}, … A restart takes longer than a tenth of a second,
 * so two runs never share a prefix, and the fixed width keeps prefix and counter apart.
 */
public final class SessionIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    public SessionIds(long startMillis) {
        prefix = Long.toString(startMillis / 100, 36);
    }

    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
