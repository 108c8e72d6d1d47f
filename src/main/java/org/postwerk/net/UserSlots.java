package org.postwerk.net;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions per logged-in account, for the protocols that read mail (IMAP, POP3): a mail client keeps several
 * connections, but a stolen password must not open thousands. Thread-safe.
 */
public final class UserSlots {
    private final int perUser;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    public UserSlots(int perUser) {
        this.perUser = perUser;
    }

    /** Takes a slot for the account; false when it has all it may have (then nothing is taken). */
    public boolean tryEnter(String account) {
        boolean[] taken = {false};
        open.compute(account, (a, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perUser) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    public void exit(String account) {
        open.computeIfPresent(account, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Sessions the account has now. */
    public int open(String account) {
        return open.getOrDefault(account, 0);
    }
}
