package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.SmtpScript;

/**
 * Nothing acknowledged is ever lost: 20 clients send as fast as they can, the server is killed with SIGKILL
 * in the middle, restarted, and every message that got its 250 must be in the mailbox, byte for byte, while
 * nothing half-written is visible in new/. Repeated over several kills; and once with files lost as a power
 * loss would lose them, which the journal's replay must restore.
 */
class CrashDurabilityIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesSigkill() throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // token -> body
        try (ServerProcess server = new ServerProcess(dir)) {
            server.addUser("alice@example.test", "secret-password");
            for (int round = 0; round < 3; round++) {
                server.start();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> clients = new ArrayList<>();
                for (int c = 0; c < 20; c++) {
                    int client = c;
                    int r = round;
                    clients.add(Thread.ofVirtual().start(() -> send(server, r, client, stop, acknowledged)));
                }
                Thread.sleep(1500 + round * 500L);
                awaitAcknowledged(acknowledged, 50 * (round + 1)); // however slow the machine is today
                server.kill(); // mid-stream: some sessions are inside DATA, some between fsync and 250
                stop.set(true);
                for (Thread t : clients) {
                    t.join();
                }
            }
            server.start(); // a restart must not disturb what is there
            checkMailbox(server.newDir("alice@example.test"), acknowledged);
        }
    }

    /**
     * A power loss can take what SIGKILL leaves in the page cache: files placed after the journal's fdatasync
     * but not yet written back. After the kill, some delivered files are deleted and some zeroed (their size
     * kept); the restart's journal replay must bring every acknowledged message back, byte for byte, once.
     */
    @Test
    void filesLostWithThePageCacheComeBackFromTheJournal() throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        try (ServerProcess server = new ServerProcess(dir)) {
            server.addUser("alice@example.test", "secret-password");
            server.start();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                int client = c;
                clients.add(Thread.ofVirtual().start(() -> send(server, 0, client, stop, acknowledged)));
            }
            Thread.sleep(1500);
            awaitAcknowledged(acknowledged, 150);
            server.kill();
            stop.set(true);
            for (Thread t : clients) {
                t.join();
            }
            Path newDir = server.newDir("alice@example.test");
            List<Path> files;
            try (Stream<Path> list = Files.list(newDir)) {
                files = list.sorted().toList();
            }
            assertThat(files).hasSizeGreaterThan(20);
            for (int i = 0; i < files.size(); i += 3) {
                Files.delete(files.get(i)); // the name never reached the disk
            }
            for (int i = 1; i < files.size(); i += 3) {
                Files.write(files.get(i), new byte[(int) Files.size(files.get(i))]); // the size did, the data not
            }
            server.start();
            checkMailbox(newDir, acknowledged);
        }
    }

    /** Waits (a minute at most) until {@code count} messages were acknowledged, so that a kill meets a load. */
    private static void awaitAcknowledged(Map<String, String> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        while (acknowledged.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void send(ServerProcess server, int round, int client, AtomicBoolean stop, Map<String, String> acked) {
        try (SmtpScript s = SmtpScript.connect(new InetSocketAddress("127.0.0.1", server.smtp))) {
            s.expect("220 .*").send("EHLO load.example").expect("250 .*");
            for (int m = 0; !stop.get() && m < 100_000; m++) {
                String token = "r" + round + "c" + client + "m" + m;
                String body = "Subject: " + token + "\r\n\r\n" + (token + " some filler text\r\n").repeat(150) + ".leading dot\r\n";
                s.send("MAIL FROM:<load@example.net>").expect("250 .*");
                s.send("RCPT TO:<alice@example.test>").expect("250 .*");
                s.send("DATA").expect("354 .*");
                s.raw(body.replace("\r\n.", "\r\n..") + ".\r\n");
                if (s.reply().get(0).startsWith("250 ")) {
                    acked.put(token, body);
                }
            }
        } catch (IOException | AssertionError e) {
            // the kill: the connection breaks; only acknowledged messages count
        }
    }

    private static void checkMailbox(Path newDir, Map<String, String> acknowledged) throws IOException {
        assertThat(acknowledged).as("the load actually ran").hasSizeGreaterThan(100);
        Map<String, String> stored = new HashMap<>();
        try (Stream<Path> files = Files.list(newDir)) {
            for (Path f : files.toList()) {
                String content = org.postwerk.testkit.MaildirFiles.read(f); // the file holds LF (ADR 0012)
                int subject = content.indexOf("\r\nSubject: ");
                assertThat(subject).as("complete message in %s", f).isPositive();
                String token = content.substring(subject + 11, content.indexOf("\r\n", subject + 2));
                String body = content.substring(subject + 2);
                assertThat(stored.put(token, body)).as("stored once: %s", token).isNull();
                assertThat(f.getFileName().toString()).endsWith(",S=" + Files.size(f) + ",W="
                        + content.getBytes(StandardCharsets.UTF_8).length);
            }
        }
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
            assertThat(stored.get(e.getKey())).as("acknowledged message %s", e.getKey()).isEqualTo(e.getValue());
        }
        // Unacknowledged messages may be there too (the kill fell between fsync and 250): each is complete.
        for (Map.Entry<String, String> e : stored.entrySet()) {
            assertThat(e.getValue()).endsWith("\r\n.leading dot\r\n");
        }
    }
}
