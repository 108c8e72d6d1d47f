package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;

/**
 * A DMARC quarantine (p=quarantine, SPF failing, nothing aligned) sends the message to the local users' Junk
 * folder whichever way it is delivered: straight into the mailbox, or through the queue because another
 * recipient is remote or an alias also forwards elsewhere. The client is in relay_networks, so it may relay.
 */
class QuarantineThroughQueueTest {
    static final String ZONE = """
            strict.example. 300 IN TXT "v=spf1 ip4:192.0.2.1 -all"
            _dmarc.strict.example. 300 IN TXT "v=DMARC1; p=quarantine"
            """;

    @TempDir
    Path dir;
    private TestDnsServer dns;
    private SinkServer sink;
    private Postwerk server;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer(ZONE);
        sink = new SinkServer();
        TomlServer.alice(dir).addAlias("team@example.test", List.of("alice@example.test", "friend@elsewhere.example"));
        server = TomlServer.start(dir, "[\"127.0.0.0/8\"]", dns, """
                [[route]]
                domain = "*"
                host = "127.0.0.1"
                port = %d
                """.formatted(sink.port()));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        dns.close();
        sink.close();
    }

    private void send(String subject, String... rcpts) throws Exception {
        try (SmtpScript s = TomlServer.connect(server, "client.strict.example")) {
            s.send("MAIL FROM:<x@strict.example>").expect("250 .*");
            for (String r : rcpts) {
                s.send("RCPT TO:<" + r + ">").expect("250 .*");
            }
            s.send("DATA").expect("354 .*")
                    .raw("From: x@strict.example\r\nSubject: " + subject + "\r\n\r\nbody\r\n.\r\n").expect("250 .*");
        }
    }

    /** The Subject fields of the messages in one of alice's folders ("" for the INBOX), once the queue is empty. */
    private List<String> subjects(String folder) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!server.queue().entries().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Path dirNew = dir.resolve("data/mail/example.test/alice/Maildir").resolve(folder).resolve("new");
        if (!Files.isDirectory(dirNew)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dirNew)) {
            return files.map(p -> {
                try {
                    return Files.readString(p).lines().filter(l -> l.startsWith("Subject: ")).findFirst().orElse("");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    @Test
    void aLocalAndARemoteRecipientTheLocalCopyLandsInJunk() throws Exception {
        send("mixed", "alice@example.test", "bob@elsewhere.example");
        assertThat(subjects(".Junk")).containsExactly("Subject: mixed");
        assertThat(subjects("")).isEmpty();
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.text()).contains("dmarc=fail"));
    }

    @Test
    void anAliasToALocalUserAndARemoteOneTheLocalCopyLandsInJunk() throws Exception {
        send("alias", "team@example.test");
        assertThat(subjects(".Junk")).containsExactly("Subject: alias");
        assertThat(subjects("")).isEmpty();
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.rcpts()).singleElement().asString()
                .startsWith("RCPT TO:<friend@elsewhere.example>"));
    }

    @Test
    void theDirectPathToo() throws Exception {
        send("direct", "alice@example.test");
        assertThat(subjects(".Junk")).containsExactly("Subject: direct");
        assertThat(subjects("")).isEmpty();
    }
}
