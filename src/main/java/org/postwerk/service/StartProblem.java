package org.postwerk.service;

/**
 * Why the server cannot start: the thing at fault (a port, a path, {@code FILE:LINE}), what is wrong with it and
 * what to do, printed as one line; {@code exit} is the process's exit status.
 */
public record StartProblem(Exit exit, String thing, String problem, String hint) {
    /** sysexits(3) codes, so that init systems and scripts can tell a typo from a full disk. */
    public enum Exit {
        /** EX_CONFIG: the configuration asks for something this host cannot give. */
        CONFIG(78),
        /** EX_CANTCREAT: a file or folder cannot be created (or its lock taken). */
        CANNOT_CREATE(73),
        /** EX_IOERR: reading or writing failed. */
        IO(74);

        public final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    /** {@code 127.0.0.1:25: address already in use; another program listens there (...)}. */
    public String line() {
        return thing + ": " + problem + (hint.isEmpty() ? "" : "; " + hint);
    }

    /** The problem as the exception that ends a start. */
    public StartFailure failure() {
        return new StartFailure(this);
    }
}
