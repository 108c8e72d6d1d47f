package org.postwerk.config;

/**
 * How logins are checked, for every protocol that has them ({@code [login]}).
 *
 * @param hashThreads password hashes (Argon2id, 19 MiB each) computed at once; the number of cores by default
 * @param hashQueue password checks that may wait for one of those threads; beyond it a login gets a temporary
 *     refusal (SMTP {@code 454 4.7.0}) at once
 * @param failuresPerMinute failed logins per clock minute, all clients together, before clients whose last
 *     login failed are refused until the minute rolls on ({@code sasl.LoginBudget} has the whole rule)
 */
public record LoginConfig(int hashThreads, int hashQueue, int failuresPerMinute) {
    /** The defaults on this machine: one hashing thread per core. */
    public static LoginConfig defaults() {
        return new LoginConfig(Runtime.getRuntime().availableProcessors(), 32, 60);
    }
}
