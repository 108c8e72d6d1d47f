package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/**
 * Runs every {@code transcripts/*.smtp} file against a fresh server (smtp role, local domain example.org with
 * alice and bob, no relay networks). Lines: {@code C: text} sends text + CRLF; {@code R: text} sends text
 * exactly, with \r \n \t escapes; {@code S: regex} reads one reply and matches its last line;
 * {@code X:} expects the server to close the connection; {@code M: account count} checks a Maildir.
 */
class TranscriptTest {
    @TempDir
    Path data;

    static Stream<Path> transcripts() throws IOException {
        Path dir = Path.of("src/test/resources/transcripts");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".smtp")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void transcript(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            int n = 0;
            for (String line : lines) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String body = line.length() > 3 ? line.substring(3) : "";
                String where = file.getFileName() + ":" + n;
                switch (line.substring(0, 2)) {
                    case "C:" -> s.send(body);
                    case "R:" -> s.raw(unescape(body));
                    case "S:" -> {
                        try {
                            s.expect(body);
                        } catch (AssertionError e) {
                            throw new AssertionError(where + ": " + e.getMessage(), e);
                        }
                    }
                    case "X:" -> assertThat(s.closedByServer()).as(where + " connection closed").isTrue();
                    case "M:" -> {
                        String[] f = body.split(" ");
                        assertThat(server.inbox(f[0])).as(where + " messages of " + f[0])
                                .hasSize(Integer.parseInt(f[1]));
                    }
                    default -> throw new IllegalArgumentException(where + ": bad line " + line);
                }
            }
        }
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0");
    }
}
