package org.postwerk.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.postwerk.io.LineEnds;

/** Reads a Maildir message file as a client gets it: in its CRLF form (the file holds LF, ADR 0012). */
public final class MaildirFiles {
    private MaildirFiles() {}

    public static String read(Path file) {
        try (InputStream in = LineEnds.toCrlf(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
