package org.postwerk.net;

/**
 * One protocol session on one accepted connection, run by its own virtual thread. The listener asks it to end
 * ({@link #shutdown}: idle sessions at once, busy ones after their command), ends it ({@link #abort}), and
 * under stress cuts it when its waiting read has outlived the stress timeouts ({@link #overdue}, {@link #cut}).
 */
public interface Session extends Runnable {
    String id();

    void shutdown();

    void abort();

    /** True when the session's waiting read has outlived what stress allows. */
    default boolean overdue(long nanoTime) {
        return false;
    }

    /** Ends an overdue session (a last reply if it can go out, then the socket closed). */
    default void cut() {
        abort();
    }
}
