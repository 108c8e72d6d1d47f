package org.postwerk.cli;

/**
 * A command found no configuration or no data folder to work on: it wrote nothing and ends with
 * EX_TEMPFAIL (75), so that a mail submitted by cron or a script is retried rather than lost.
 */
final class Unconfigured extends RuntimeException {
    static final int EXIT = 75;

    Unconfigured(String message) {
        super(message);
    }
}
