package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postwerk.config.SmtpOptions;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/**
 * Runs every {@code transcripts/*.smtp} file against a fresh server (smtp role, local domain example.org with
 * alice and bob, no relay networks). Lines: {@code C: text} sends text + CRLF; {@code R: text} sends text
 * exactly, with \r \n \t escapes; {@code S: regex} reads one reply line and matches it whole, code and
 * separator included ({@code 250-PIPELINING}, then {@code 250 DSN}), so a multi-line reply needs one
 * {@code S:} line per line: any other line, and the end of the file, fail while a reply is unfinished;
 * {@code X:} expects the server to close the connection; {@code M: account count} checks a Maildir;
 * {@code O: bare_newline reject} sets an option of the server before it starts.
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
        run(file);
    }

    @Test
    void everyLineOfAMultiLineReplyNeedsItsOwnSLine(@TempDir Path dir) throws Exception {
        Path onlyLast = Files.writeString(dir.resolve("only-last.smtp"), "S: 220 .*\nC: EHLO client.example\n"
                + "S: 250-mx\\.example\\.org greets .*\nS: 250-PIPELINING\nC: QUIT\nS: 221 .*\n");
        assertThatThrownBy(() -> run(onlyLast)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("only-last.smtp:5: the reply before has more lines");
        Path ending = Files.writeString(dir.resolve("ending.smtp"), "S: 220 .*\nC: EHLO client.example\n"
                + "S: 250-mx\\.example\\.org greets .*\n");
        assertThatThrownBy(() -> run(ending)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ends inside a multi-line reply");
        Path lastAsFirst = Files.writeString(dir.resolve("last-as-first.smtp"), "S: 220 .*\nC: EHLO client.example\n"
                + "S: 250 .*\n");
        assertThatThrownBy(() -> run(lastAsFirst)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("last-as-first.smtp:3");
    }

    private void run(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        TestServer configured = new TestServer(data);
        for (String option : lines.stream().filter(l -> l.startsWith("O: ")).toList()) {
            switch (option.substring(3)) {
                case "bare_newline reject" -> configured.bareNewline(SmtpOptions.BareNewline.REJECT);
                default -> throw new IllegalArgumentException(file.getFileName() + ": unknown option " + option);
            }
        }
        try (TestServer server = configured.start(); SmtpScript s = server.connect()) {
            int n = 0;
            for (String line : lines) {
                n++;
                if (line.isBlank() || line.startsWith("#") || line.startsWith("O: ")) {
                    continue;
                }
                String body = line.length() > 3 ? line.substring(3) : "";
                String where = file.getFileName() + ":" + n;
                String kind = line.substring(0, 2);
                if (!kind.equals("S:")) {
                    assertThat(s.atReplyEnd()).as(where + ": the reply before has more lines; give each an S: line")
                            .isTrue();
                }
                switch (kind) {
                    case "C:" -> s.send(body);
                    case "R:" -> s.raw(unescape(body));
                    case "S:" -> {
                        try {
                            s.expectLine(body);
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
            assertThat(s.atReplyEnd()).as(file.getFileName() + ": ends inside a multi-line reply").isTrue();
        }
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0");
    }
}
