package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.delivery.Courier;
import org.postwerk.delivery.Outcome;
import org.postwerk.delivery.Scheduler;
import org.postwerk.delivery.SchedulerSettings;
import org.postwerk.queue.Queue;
import org.postwerk.queue.Reason;
import org.postwerk.queue.QueueEntry;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.smtp.Reply;
import org.postwerk.io.PosixDisk;
import picocli.CommandLine;

class QueueCommandTest {
    @TempDir
    Path data;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved;

    @BeforeEach
    void capture() {
        saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(saved);
    }

    int run(String... args) {
        return new CommandLine(new PostwerkCommand()).execute(args);
    }

    int sendmail(String input, String... args) {
        CommandLine cl = new CommandLine(new SendmailCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8))));
        return cl.execute(args);
    }

    Queue openQueue() throws Exception {
        return new Queue(data.resolve("queue"), new QueueSettings(RetrySchedule.defaults(), "mx.test", Optional.empty()),
                Clock.systemUTC(), new PosixDisk());
    }

    @Test
    void sendmailCompletesTheHeaderAndQueues() throws Exception {
        assertThat(sendmail("To: Bob <bob@example.net>\nBcc: secret@example.net\nSubject: cron\n\nline 1\n.\nnot read\n",
                "--data-dir", data.toString(), "-t", "-f", "cron@example.org")).isZero();
        try (Queue q = openQueue()) {
            QueueEntry e = q.entries().iterator().next();
            assertThat(e.envelope().reversePath()).isEqualTo("<cron@example.org>");
            assertThat(e.recipients()).extracting(r -> r.recipient().address().toString())
                    .containsExactly("bob@example.net", "secret@example.net");
            String msg = Files.readString(q.message(e.id()));
            assertThat(msg).startsWith("Received: by localhost").contains("\r\nDate: ", "\r\nMessage-ID: <",
                    "\r\nFrom: <cron@example.org>\r\n", "\r\nSubject: cron\r\n\r\nline 1\r\n")
                    .doesNotContain("secret", "not read");
        }
        assertThat(Files.list(data.resolve("queue/control"))).hasSize(1);
    }

    @Test
    void sendmailKeepsTlsRequiredNoOnTheQueuedMessage() throws Exception {
        assertThat(sendmail("Subject: a\nTLS-Required:\n no\n\nbody\n", "--data-dir", data.toString(), "-f",
                "a@example.org", "b@example.net")).isZero();
        assertThat(sendmail("Subject: b\n\nTLS-Required: No\n", "--data-dir", data.toString(), "-f",
                "a@example.org", "b@example.net")).isZero(); // in the body: not a header field
        try (Queue q = openQueue()) {
            assertThat(q.entries()).extracting(e -> e.envelope().tls()).containsExactlyInAnyOrder(
                    org.postwerk.smtp.TlsRequirement.NOT_REQUIRED, org.postwerk.smtp.TlsRequirement.POLICY);
        }
    }

    @Test
    void sendmailAcceptsTheUsualIgnoredFlagsAndKeepsDotsWithOi() throws Exception {
        assertThat(sendmail("Subject: dots\n\n.\nafter the dot\n", "--data-dir", data.toString(), "-oi", "-odb",
                "-f", "a@example.org", "b@example.net")).isZero();
        try (Queue q = openQueue()) {
            String msg = Files.readString(q.message(q.entries().iterator().next().id()));
            assertThat(msg).contains("\r\n\r\n.\r\nafter the dot\r\n");
        }
        assertThat(sendmail("x\n", "--data-dir", data.toString(), "-f", "a@example.org")).isEqualTo(64);
    }

    @Test
    void sendmailRefusesAMessageOverTheConfiguredSizeLimit() throws Exception {
        Path config = data.resolve("small.toml");
        Files.writeString(config, "data_dir = \"" + data.toString().replace("\\", "/") + "\"\n[limits]\nmessage_size = 100\n");
        assertThat(sendmail("Subject: big\n\n" + "x".repeat(200) + "\n", "--config", config.toString(),
                "-f", "a@example.org", "b@example.net")).isEqualTo(65);
        assertThat(sendmail("Subject: small\n\nok\n", "--config", config.toString(),
                "-f", "a@example.org", "b@example.net")).isZero();
    }

    @Test
    void listShowAndChangesWithoutAServer() throws Exception {
        sendmail("Subject: x\n\nhello\n", "--data-dir", data.toString(), "-i", "-f", "a@example.org", "b@example.net");
        String id;
        try (Queue q = openQueue()) {
            id = q.entries().iterator().next().id();
        }
        assertThat(run("queue", "--data-dir", data.toString(), "list", "--json")).isZero();
        assertThat(out.toString()).contains("\"id\":\"" + id + "\"", "\"address\":\"b@example.net\"");
        assertThat(run("queue", "--data-dir", data.toString(), "hold", id)).isZero();
        assertThat(run("queue", "--data-dir", data.toString(), "show", id)).isZero();
        assertThat(out.toString()).contains("held: true");
        assertThat(run("queue", "--data-dir", data.toString(), "summary")).isZero();
        assertThat(out.toString()).containsPattern("example.net\\s+1");
        assertThat(run("queue", "--data-dir", data.toString(), "delete", id)).isZero();
        assertThat(run("queue", "--data-dir", data.toString(), "delete", id)).isOne();
    }

    @Test
    void changesWaitUntilTheServerHasReplayedAJournalLeftByACrash() throws Exception {
        sendmail("Subject: x\n\nhello\n", "--data-dir", data.toString(), "-i", "-f", "a@example.org", "b@example.net");
        String id;
        try (Queue q = openQueue()) {
            id = q.entries().iterator().next().id();
        }
        java.nio.file.Files.createDirectories(data.resolve("journal"));
        java.nio.file.Files.write(data.resolve("journal").resolve("0000000000000001.log"), new byte[] {1});

        assertThat(run("queue", "--data-dir", data.toString(), "delete", id)).isOne();
        try (Queue q = openQueue()) {
            assertThat(q.get(id)).as("not deleted: the replay could bring it back").isPresent();
        }
    }

    @Test
    void wrongDataDirIsAnErrorAndCreatesNothing() {
        assertThat(run("queue", "--data-dir", data.resolve("typo").toString(), "list")).isOne();
        assertThat(run("queue", "--data-dir", data.resolve("typo").toString(), "hold", "x")).isOne();
        assertThat(data.resolve("typo")).doesNotExist();
    }

    @Test
    void changesGoThroughTheRunningServer() throws Exception {
        Courier deferAll = (env, rcpts, msg) -> Collections.nCopies(rcpts.size(),
                new Outcome.Deferred(new Reason.Local(Reply.of(451, 4, 0, 0, "later")), null));
        try (Queue q = openQueue()) {
            Scheduler s = new Scheduler(q, deferAll, new SchedulerSettings(2, 1, Duration.ofMillis(50)), Clock.systemUTC());
            s.start();
            try {
                sendmail("Subject: x\n\nhello\n", "--data-dir", data.toString(), "-f", "a@example.org", "b@example.net");
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (q.entries().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                String id = q.entries().iterator().next().id();
                assertThat(run("queue", "--data-dir", data.toString(), "hold", id)).isZero();
                assertThat(q.get(id).orElseThrow().held()).isTrue();
                assertThat(run("queue", "--data-dir", data.toString(), "bounce", id)).isZero();
                assertThat(q.get(id)).isEmpty();
            } finally {
                s.close();
            }
        }
    }

    @Test
    void sendmailSignsWithTheDkimKeyOfTheSendersDomainAsSubmissionDoes() throws Exception {
        java.security.KeyPair pair = org.postwerk.auth.dkim.DkimKeys.generate(
                org.postwerk.auth.dkim.Algorithm.KeyType.ED25519);
        Path key = new org.postwerk.auth.dkim.DkimKeys(data).path("example.org", "s1");
        Files.createDirectories(key.getParent());
        Files.write(key, org.postwerk.auth.dkim.DkimKeys.pem(pair));
        assertThat(sendmail("Subject: signed\n\nhello\n", "--data-dir", data.toString(), "-f", "cron@example.org",
                "b@example.net")).isZero();
        byte[] msg;
        try (Queue q = openQueue()) {
            msg = Files.readAllBytes(q.message(q.entries().iterator().next().id()));
        }
        assertThat(new String(msg, StandardCharsets.UTF_8)).startsWith("DKIM-Signature: v=1; a=ed25519-sha256;")
                .contains("d=example.org;", "s=s1;");
        org.postwerk.testkit.ZoneResolver zone = new org.postwerk.testkit.ZoneResolver().add(new org.xbill.DNS.TXTRecord(
                org.xbill.DNS.Name.fromString("s1._domainkey.example.org."), org.xbill.DNS.DClass.IN, 300,
                org.postwerk.auth.dkim.DkimKeys.txtRecord(pair.getPublic())));
        org.postwerk.auth.dkim.DkimVerifier.Check check = new org.postwerk.auth.dkim.DkimVerifier(zone,
                Clock.systemUTC()).begin();
        check.update(msg, 0, msg.length);
        assertThat(check.finish()).extracting(r -> r.result().name()).containsExactly("PASS");
    }

    /**
     * Issue 12: an ordinary user of the packaged install cannot write the 0700 data folder; sendmail hands the
     * message to the server's smtp listener on loopback instead, with the user's name in the Received field,
     * and writes nothing into the data folder. (Tests run as root, who may write anything: the folder's answer
     * comes from the command's seam.)
     */
    @Test
    void sendmailOfAUserWhoCannotWriteTheSpoolGoesThroughTheServersSmtpListener() throws Exception {
        Files.createDirectories(data.resolve("queue"));
        try (org.postwerk.testkit.SinkServer server = new org.postwerk.testkit.SinkServer()) {
            Path config = configFor(server.port());
            CommandLine cl = new CommandLine(new SendmailCommand(new ByteArrayInputStream(
                    "Subject: from cron\n\nhello\n".getBytes(StandardCharsets.UTF_8)), p -> false));
            assertThat(cl.execute("--config", config.toString(), "bob@example.net", "carol")).isZero();
            assertThat(server.messages()).hasSize(1);
            org.postwerk.testkit.SinkServer.Message m = server.messages().getFirst();
            String user = System.getProperty("user.name");
            assertThat(m.mail()).startsWith("MAIL FROM:<" + user + "@mx.example.org>");
            assertThat(m.rcpts()).containsExactly("RCPT TO:<bob@example.net>", "RCPT TO:<carol@mx.example.org>");
            assertThat(m.text()).startsWith("Received: by mx.example.org (Postwerk sendmail, from userid " + user + ")")
                    .contains("\r\nSubject: from cron\r\n\r\nhello\r\n");
            try (var files = Files.list(data.resolve("queue"))) {
                assertThat(files).isEmpty();
            }
            server.rcptReply = a -> "550 5.1.1 no such user";
            CommandLine refused = new CommandLine(new SendmailCommand(new ByteArrayInputStream(
                    "x\n".getBytes(StandardCharsets.UTF_8)), p -> false));
            assertThat(refused.execute("--config", config.toString(), "nobody@example.net")).isEqualTo(69);
        }
        // No server: EX_TEMPFAIL, so cron keeps the mail and says so; still nothing written.
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        CommandLine down = new CommandLine(new SendmailCommand(new ByteArrayInputStream(
                "x\n".getBytes(StandardCharsets.UTF_8)), p -> false));
        assertThat(down.execute("--config", configFor(port).toString(), "bob@example.net")).isEqualTo(75);
        try (var files = Files.list(data.resolve("queue"))) {
            assertThat(files).isEmpty();
        }
    }

    private Path configFor(int smtpPort) throws java.io.IOException {
        Path config = data.resolve("user.toml");
        Files.writeString(config, "hostname = \"mx.example.org\"\ndata_dir = \"" + data.toString().replace("\\", "/")
                + "\"\n[[listener]]\nrole = \"smtp\"\naddress = \"127.0.0.1\"\nport = " + smtpPort + "\n");
        return config;
    }

    @Test
    void sendmailHelpWorks() {
        assertThat(sendmail("", "--help")).isZero();
    }
}
