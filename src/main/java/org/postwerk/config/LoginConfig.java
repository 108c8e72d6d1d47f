package org.postwerk.config;

/**
 * How logins are checked, for every protocol that has them ({@code [login]}).
 *
 * @param hashThreads password hashes (Argon2id, 19 MiB each) computed at once; by default one per core but one,
 *     so that a flood of logins always leaves a core to the sessions (at least one thread)
 * @param hashQueue password checks that may wait for one of those threads; beyond it a login gets a temporary
 *     refusal (SMTP {@code 454 4.7.0}) at once
 * @param failuresPerMinute failed logins per clock minute, all clients together, before clients whose last
 *     login failed are refused until the minute rolls on ({@code sasl.LoginBudget} has the whole rule)
 */
public record LoginConfig(int hashThreads, int hashQueue, int failuresPerMinute) {
    /** The defaults on this machine. */
    public static LoginConfig defaults() {
        return new LoginConfig(defaultHashThreads(), 32, 60);
    }

    /** One per core but one: on 2 cores, a flood's hashing takes one and the sessions keep the other. */
    private static int defaultHashThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }
}
