package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.account.HashPool;
import org.postwerk.account.Passwords;
import org.postwerk.config.Role;
import org.postwerk.sasl.LoginBudget;
import org.postwerk.sasl.Sasl;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.ServerTls;
import org.postwerk.tls.TlsContexts;

/**
 * A flood of wrong passwords over STARTTLS (issue 9): Argon2id runs on a small bounded pool, so the overflow gets
 * {@code 454 4.7.0} at once and a plain delivery on the smtp listener is not held up behind the hashing. Clients
 * are platform threads (they must not share the server's carrier threads) and each connection comes from its
 * own loopback address, so the per-client failure limit plays no part.
 */
class AuthFloodTest {
    private static final AtomicInteger SOURCES = new AtomicInteger();

    /**
     * Alice's password ("the right one") hashed eight times as costly as by default (t=16, the most we verify;
     * about 0.25 s on one core). Hashing on the carrier threads then shows as seconds, whatever else the machine
     * is doing, while a bounded pool keeps every other session as fast as before. Verification takes the
     * parameters from the stored string.
     */
    private static final String SLOW_HASH =
            "$argon2id$v=19$m=19456,t=16,p=1$cG9zdHdlcmstdGVzdC0xNg$ItzDsC313iSh+9dvkPqDDkUqELpGDxSPCEf9LMWLdXk";

    @TempDir
    Path data;
    private AccountStore accounts;
    private ServerTls tls;
    private HashPool pool;

    @BeforeEach
    void setUp() throws IOException {
        accounts = new AccountStore(data.resolve("accounts"),
                new AccountSettings(Set.of("example.org"), Optional.empty(), "+"));
        new AccountEditor(accounts).addUser("alice@example.org", "the right one".toCharArray());
        tls = new ServerTls(TlsContexts.selfSigned(data.resolve("tls"), "mx.example.org"), Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.close();
        }
    }

    /** The server as {@code Postwerk} wires it: a hash pool of that size, and a budget of failed logins. */
    private TestServer server(int hashThreads, int hashQueue, LoginBudget budget) {
        pool = new HashPool(hashThreads, hashQueue);
        return new TestServer(data).tls(tls::wrapServer)
                .authentication(new SaslAuthentication(new Sasl(new Passwords(accounts, pool), budget)));
    }

    private void slowHash() throws IOException {
        Path users = data.resolve("accounts/users");
        Files.writeString(users, Files.readString(users).replaceFirst("\\$argon2id\\$\\S+",
                Matcher.quoteReplacement(SLOW_HASH)));
    }

    private TestServer server(int hashThreads, int hashQueue) {
        return server(hashThreads, hashQueue, new LoginBudget(1_000_000, Clock.systemUTC()));
    }

    /** A reply and how long after the command it came. */
    private record Timed(String reply, long millis) {}

    @Test
    void theOverflowOfAConcurrentFloodGets454AtOnce() throws Exception {
        slowHash();
        int clients = 16;
        List<Timed> results = new CopyOnWriteArrayList<>();
        try (TestServer server = server(1, 1).start(Role.SUBMISSION)) {
            CyclicBarrier ready = new CyclicBarrier(clients);
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (SmtpScript s = loggedOutTls(server.address(Role.SUBMISSION))) {
                        ready.await(30, TimeUnit.SECONDS);
                        long start = System.nanoTime();
                        String reply = s.send("AUTH PLAIN " + plain("alice@example.org", "wrong")).reply().getLast();
                        results.add(new Timed(reply, (System.nanoTime() - start) / 1_000_000));
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(errors).isEmpty();
            try (SmtpScript s = loggedOutTls(server.address(Role.SUBMISSION))) { // the flood is over
                s.send("AUTH PLAIN " + plain("alice@example.org", "the right one")).expect("235 2\\.7\\.0 .*");
            }
        }
        assertThat(results).hasSize(clients)
                .allSatisfy(r -> assertThat(r.reply()).matches("(535 5\\.7\\.8|454 4\\.7\\.0) .*"));
        // One thread and one place in the queue: two hashes at a time, the rest refused without waiting for one
        // (a check that comes in late, after a hash is done, may find room).
        List<Long> checked = results.stream().filter(r -> r.reply().startsWith("535")).map(Timed::millis).toList();
        List<Long> refused = results.stream().filter(r -> r.reply().startsWith("454")).map(Timed::millis).toList();
        assertThat(refused).as("%s", results).hasSizeGreaterThanOrEqualTo(clients / 2)
                .allSatisfy(ms -> assertThat(ms).isLessThan(checked.stream().min(Long::compare).orElseThrow()));
    }

    @Test
    void aPlainDeliveryStaysFastDuringAFlood() throws Exception {
        slowHash();
        int flooders = 8 * Runtime.getRuntime().availableProcessors();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        List<Long> latencies = new ArrayList<>();
        try (TestServer server = server(2, 8).start(Role.SMTP, Role.SUBMISSION)) {
            deliver(server.address(Role.SMTP)); // warm: the first delivery in this JVM loads and compiles the path
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < flooders; i++) {
                threads.add(Thread.ofPlatform().start(() -> flood(server.address(Role.SUBMISSION), stop, attempts)));
            }
            while (attempts.get() < 2 * flooders) {
                Thread.sleep(10); // the flood is under way
            }
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                deliver(server.address(Role.SMTP));
                latencies.add((System.nanoTime() - start) / 1_000_000);
                Thread.sleep(100);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(server.inbox("alice@example.org")).hasSize(6);
        }
        // Unloaded, each delivery takes milliseconds; waiting behind hashes on the carriers it took 10 s and more.
        // The margin is for a build machine shared with other builds.
        assertThat(latencies).as("delivery times in ms during %d AUTH attempts", attempts.get())
                .allSatisfy(ms -> assertThat(ms).isLessThan(3000));
    }

    @Test
    void theFailedLoginBudgetStopsFailingClientsUntilTheMinuteRollsOn() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2025-01-01T12:00:00Z"));
        try (TestServer server = server(1, 8, new LoginBudget(2, clock)).start(Role.SUBMISSION)) {
            InetSocketAddress submission = server.address(Role.SUBMISSION);
            InetAddress guesser = InetAddress.getByName("127.2.0.1");
            for (int i = 0; i < 2; i++) {
                try (SmtpScript s = loggedOutTls(submission, guesser)) {
                    s.send("AUTH PLAIN " + plain("alice@example.org", "guess " + i)).expect("535 5\\.7\\.8 .*");
                }
            }
            // Spent: the failing client is refused at once, with the right password too...
            try (SmtpScript s = loggedOutTls(submission, guesser)) {
                s.send("AUTH PLAIN " + plain("alice@example.org", "guess 2")).expect("454 4\\.7\\.0 .*");
                s.send("AUTH PLAIN " + plain("alice@example.org", "the right one")).expect("454 4\\.7\\.0 .*");
            }
            // ...while a client that has not failed is still checked: it may log in, or fail (and be marked).
            InetAddress other = InetAddress.getByName("127.2.0.2");
            try (SmtpScript s = loggedOutTls(submission, other)) {
                s.send("AUTH PLAIN " + plain("alice@example.org", "typo")).expect("535 5\\.7\\.8 .*");
                s.send("AUTH PLAIN " + plain("alice@example.org", "the right one")).expect("454 4\\.7\\.0 .*");
            }
            try (SmtpScript s = loggedOutTls(submission, InetAddress.getByName("127.2.0.3"))) {
                s.send("AUTH PLAIN " + plain("alice@example.org", "the right one")).expect("235 2\\.7\\.0 .*");
            }
            clock.advance(Duration.ofSeconds(59)); // 12:00:59, still the same minute
            try (SmtpScript s = loggedOutTls(submission, guesser)) {
                s.send("AUTH PLAIN " + plain("alice@example.org", "the right one")).expect("454 4\\.7\\.0 .*");
            }
            clock.advance(Duration.ofSeconds(1)); // the minute rolls on
            try (SmtpScript s = loggedOutTls(submission, guesser)) {
                s.send("AUTH PLAIN " + plain("alice@example.org", "the right one")).expect("235 2\\.7\\.0 .*");
            }
        }
    }

    /** An unauthenticated message to a local user, as from another MTA. */
    private static void deliver(InetSocketAddress smtp) throws IOException {
        try (SmtpScript s = SmtpScript.connect(smtp)) {
            s.expect("220 .*").send("EHLO sender.example.net").expect("250 .*");
            s.send("MAIL FROM:<bob@example.net>").expect("250 .*");
            s.send("RCPT TO:<alice@example.org>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw("Subject: during the flood\r\n\r\nhi\r\n.\r\n").expect("250 .*");
            s.send("QUIT").expect("221 .*");
        }
    }

    /**
     * Wrong passwords until told to stop; a new connection (from a new address) when the session ends. After a
     * 454 a short pause: this test is about hashing, and an unpaced loop of cheap refusals would only measure how
     * the clients' own threads, in this JVM, crowd the server's out of two cores.
     */
    private static void flood(InetSocketAddress submission, AtomicBoolean stop, AtomicInteger attempts) {
        while (!stop.get()) {
            try (SmtpScript s = loggedOutTls(submission)) {
                while (!stop.get()) {
                    attempts.incrementAndGet();
                    String reply = s.send("AUTH PLAIN " + plain("alice@example.org", "a wrong one")).reply().getLast();
                    if (reply.startsWith("421")) {
                        break;
                    }
                    if (reply.startsWith("454")) {
                        Thread.sleep(20);
                    }
                }
            } catch (IOException e) {
                // the server may close a session at its limits: start another
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A session on its own source address, after STARTTLS and EHLO: ready for AUTH. */
    private static SmtpScript loggedOutTls(InetSocketAddress submission) throws IOException {
        int n = SOURCES.incrementAndGet();
        return loggedOutTls(submission, InetAddress.getByAddress(new byte[] {127, 1, (byte) (n / 250),
                (byte) (n % 250 + 1)}));
    }

    private static SmtpScript loggedOutTls(InetSocketAddress submission, InetAddress from) throws IOException {
        SmtpScript s = SmtpScript.connect(submission, from);
        s.expect("220 .*").send("EHLO flood.example").expect("250 .*");
        s.send("STARTTLS").expect("220 .*");
        s.attach(ClientTls.opportunistic().wrap(s.socket(), "mx.example.org", Duration.ofSeconds(5)));
        s.send("EHLO flood.example").expect("250 .*");
        return s;
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes());
    }
}
