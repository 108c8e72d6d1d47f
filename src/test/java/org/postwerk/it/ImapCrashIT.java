package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.SmtpScript;

/**
 * IMAP's tagged OK means the same as SMTP's 250: the change survives a crash. Several IMAP clients over TLS
 * APPEND, STORE, EXPUNGE and MOVE while SMTP clients deliver to the same INBOX, and the server is killed with
 * SIGKILL in the middle, several times. After each restart every acknowledged change must be there (appended
 * messages with their flags, stored flags, expunged messages gone, moved messages in the target under the
 * COPYUID's UID and gone from the source), every acknowledged delivery in INBOX or where the client moved it,
 * once; UIDVALIDITY stays, no UID goes backwards or is given twice, UIDNEXT never decreases. The command in
 * flight at the kill may have happened or not, wholly: a MOVE leaves its message in exactly one folder.
 *
 * <p>{@code -Dpostwerk.crash.rounds=N} runs more kills (interop/extra/imap-crash runs it longer, by hand).
 */
class ImapCrashIT {
    private static final int ROUNDS = Integer.getInteger("postwerk.crash.rounds", 3);
    private static final int FOLDER_CLIENTS = 4;
    private static final int SMTP_CLIENTS = 6; // each delivery waits for DNS answers that never come

    @TempDir
    Path dir;

    @Test
    void acknowledgedImapChangesSurviveSigkill() throws Exception {
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        Set<String> delivered = ConcurrentHashMap.newKeySet(); // tokens of acknowledged SMTP deliveries
        List<ImapWorker> workers = new ArrayList<>();
        for (int c = 0; c < FOLDER_CLIENTS; c++) {
            workers.add(new ImapWorker("w" + c, "W" + c, "W" + c + "-moved", false, 17 * c, problems));
        }
        ImapWorker inbox = new ImapWorker("in", "INBOX", "Archive", true, 99, problems);
        workers.add(inbox);
        Random random = new Random();
        long started = System.nanoTime();
        try (ServerProcess server = new ServerProcess(dir)) {
            server.addUser(ImapWorker.USER, ImapWorker.PASSWORD);
            for (int round = 0; round <= ROUNDS; round++) {
                long t0 = System.nanoTime();
                server.start();
                long t1 = System.nanoTime();
                InetSocketAddress imaps = new InetSocketAddress("127.0.0.1", server.imaps);
                boolean last = round == ROUNDS; // only the check after the last kill
                AtomicBoolean stop = new AtomicBoolean(last);
                CountDownLatch checked = new CountDownLatch(workers.size());
                List<Thread> threads = new ArrayList<>();
                int r = round;
                for (ImapWorker w : workers) {
                    threads.add(Thread.ofVirtual().start(() -> w.round(imaps, r, t -> t.startsWith("s"), checked, stop)));
                }
                for (int c = 0; c < SMTP_CLIENTS && !last; c++) {
                    int client = c;
                    threads.add(Thread.ofVirtual().start(() -> send(server, r, client, stop, delivered)));
                }
                assertThat(checked.await(2, TimeUnit.MINUTES)).as("every client checked its folders").isTrue();
                System.out.printf("ImapCrashIT: round %d: start %d ms, check %d ms%n", round, (t1 - t0) / 1_000_000,
                        (System.nanoTime() - t1) / 1_000_000);
                if (last) {
                    joinAll(threads);
                    break;
                }
                Thread.sleep(1200 + random.nextInt(1500)); // the kill falls anywhere in a command
                server.kill();
                stop.set(true);
                joinAll(threads);
            }
        }
        Map<String, Integer> acked = total(workers, true);
        Map<String, Integer> inFlight = total(workers, false);
        System.out.printf("ImapCrashIT: %d kills in %.1f s; acknowledged %s, in flight at a kill %s, %d SMTP deliveries%n",
                ROUNDS, (System.nanoTime() - started) / 1e9, acked, inFlight, delivered.size());
        assertThat(problems).isEmpty();
        List<String> found = new ArrayList<>(inbox.source.tokens());
        found.addAll(inbox.target.tokens());
        for (String token : delivered) {
            if (inbox.expunged.contains(token)) {
                continue; // the folder check saw it gone or, expunged at a kill, either way
            }
            assertThat(found.stream().filter(token::equals).count()).as("delivery %s once in INBOX or Archive", token)
                    .isEqualTo(1);
        }
        assertThat(found).doesNotHaveDuplicates();
        // The load really ran: every kind of command was acknowledged many times.
        for (String command : List.of("APPEND", "STORE", "EXPUNGE", "MOVE")) {
            assertThat(acked.getOrDefault(command, 0)).as(command).isGreaterThan(10);
        }
        assertThat(delivered).hasSizeGreaterThan(2 * SMTP_CLIENTS);
        assertThat(inbox.acknowledged.values().stream().mapToInt(AtomicInteger::get).sum())
                .as("commands on SMTP's deliveries").isGreaterThan(3);
    }

    private static Map<String, Integer> total(List<ImapWorker> workers, boolean acknowledged) {
        Map<String, Integer> sum = new TreeMap<>();
        for (ImapWorker w : workers) {
            (acknowledged ? w.acknowledged : w.inFlightAtKill).forEach((k, v) -> sum.merge(k, v.get(), Integer::sum));
        }
        return sum;
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            if (!t.join(java.time.Duration.ofMinutes(1))) {
                throw new AssertionError("a client hangs: " + t);
            }
        }
    }

    private static void send(ServerProcess server, int round, int client, AtomicBoolean stop, Set<String> delivered) {
        try (SmtpScript s = SmtpScript.connect(new InetSocketAddress("127.0.0.1", server.smtp))) {
            s.expect("220 .*").send("EHLO load.example").expect("250 .*");
            for (int m = 0; !stop.get(); m++) {
                String token = "sr" + round + "c" + client + "m" + m;
                s.send("MAIL FROM:<load@example.net>").expect("250 .*");
                s.send("RCPT TO:<" + ImapWorker.USER + ">").expect("250 .*");
                s.send("DATA").expect("354 .*");
                s.raw("Subject: " + token + "\r\n\r\n" + "delivered while IMAP clients work\r\n".repeat(20) + ".\r\n");
                if (s.reply().get(0).startsWith("250 ")) {
                    delivered.add(token);
                }
            }
        } catch (IOException | AssertionError e) {
            // the kill: only acknowledged deliveries count
        }
    }
}
