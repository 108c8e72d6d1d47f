package org.postwerk.cli;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a new password comes from: typed twice without echo on a terminal, or one line from standard input
 * when that is not a terminal (scripts: {@code echo "$PW" | postwerk user add alice@example.org}).
 */
final class PasswordInput {
    private static final int MAX_LENGTH = 1024;

    private final InputStream in;
    private final Console console;

    /** @param console the terminal, or null when standard input is not one */
    PasswordInput(InputStream in, Console console) {
        this.in = in;
        this.console = console;
    }

    static PasswordInput system() {
        return new PasswordInput(System.in, System.console());
    }

    /** The password, or empty when the two entries differ or nothing was given. */
    Optional<char[]> read() throws IOException {
        return console == null ? readLine() : prompt();
    }

    private Optional<char[]> prompt() {
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Repeat password: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                return Optional.empty();
            }
            return Optional.of(first.clone());
        } finally {
            zero(first);
            zero(second);
        }
    }

    /** One line, without its CR LF or LF; never through a String, so it can be wiped afterwards. */
    private Optional<char[]> readLine() throws IOException {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] buf = new char[MAX_LENGTH];
        int n = 0;
        for (int c = reader.read(); c >= 0 && c != '\n' && n < buf.length; c = reader.read()) {
            buf[n++] = (char) c;
        }
        if (n > 0 && buf[n - 1] == '\r') {
            n--;
        }
        char[] password = Arrays.copyOf(buf, n);
        zero(buf);
        return n == 0 ? Optional.empty() : Optional.of(password);
    }

    private static void zero(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
