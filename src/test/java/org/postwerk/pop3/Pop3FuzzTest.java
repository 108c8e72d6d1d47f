package org.postwerk.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Role;

/** Random command streams: the parser never throws, a session never crashes or hangs. */
class Pop3FuzzTest {
    private static final String[] VERBS = {"USER", "PASS", "AUTH", "APOP", "STLS", "CAPA", "STAT", "LIST", "RETR",
        "DELE", "NOOP", "RSET", "TOP", "UIDL", "top", "Uidl", "XTND", ""};
    private static final String[] ARGS = {"", " ", " 1", " 2", " 0", " -1", " 1 0", " 1 99999999999", " 2 1",
        " 999999999", " 1234567890", " 1 2 3", " PLAIN", " SCRAM-SHA-256", " PLAIN =", " PLAIN ====", " *",
        " " + Pop3TestServer.USER, " \u00e4\u00f6", "\0", "\r", " x\ry"};

    @TempDir
    Path dir;

    @Test
    void parserTakesAnything() {
        Random r = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            String line = i % 2 == 0 ? randomLine(r) : randomBytes(r);
            assertThatCode(() -> Pop3Parser.parse(line)).as(line).doesNotThrowAnyException();
        }
    }

    @Test
    void sessionsSurviveRandomStreams() throws Exception {
        try (Pop3TestServer server = new Pop3TestServer(dir, Role.POP3S)) {
            server.deliver(Pop3SessionTest.FIRST);
            server.deliver(Pop3SessionTest.SECOND);
            for (int seed = 0; seed < 40; seed++) {
                Random r = new Random(seed);
                try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
                    c.readLine();
                    ByteArrayOutputStream stream = new ByteArrayOutputStream();
                    if (r.nextBoolean()) {
                        stream.writeBytes(("USER " + Pop3TestServer.USER + "\r\nPASS " + Pop3TestServer.PASSWORD
                                + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                    for (int i = 0; i < 30; i++) {
                        String line = r.nextInt(10) == 0 ? randomBytes(r) : randomLine(r);
                        stream.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                    stream.writeBytes("QUIT\r\n".getBytes(StandardCharsets.UTF_8));
                    c.sendRaw(stream.toByteArray());
                    List<String> lines = new ArrayList<>();
                    String l;
                    while ((l = c.readLine()) != null) { // a hang fails the read timeout of 10 s
                        lines.add(l);
                    }
                    // The session ended by its own choice (QUIT, or the error limit), not by a crash.
                    assertThat(lines).as("seed " + seed).last().asString()
                            .matches("\\+OK pop.example.org closing.*|-ERR .*closing|-ERR \\[AUTH\\] .*too many failures");
                }
            }
            try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
                c.readLine();
                c.login();
                assertThat(c.command("QUIT")).startsWith("+OK");
            }
        }
    }

    private static String randomLine(Random r) {
        return VERBS[r.nextInt(VERBS.length)] + ARGS[r.nextInt(ARGS.length)];
    }

    private static String randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(r.nextInt(10) == 0 ? 10_000 : 40)];
        r.nextBytes(b);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                b[i] = ' ';
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
