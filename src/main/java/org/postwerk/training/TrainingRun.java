package org.postwerk.training;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.postwerk.Postwerk;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigLoader;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.io.DurableFile;
import org.postwerk.net.Listener;
import org.postwerk.web.WebServer;

/**
 * A training run for JDK 25's ahead-of-time cache (JEP 483/514/515): a whole server in a throw-away folder on
 * free loopback ports, driven through the paths real traffic takes, so the JVM that runs this records the classes
 * and method profiles a serving server needs. Mail in over SMTP (one connection per message, as from the
 * Internet), mail out through submission (STARTTLS, AUTH PLAIN, DKIM signing, the queue, relay to a local sink),
 * then IMAP (STARTTLS, LOGIN, SELECT, FETCH, SEARCH, STORE, APPEND, COPY, EXPUNGE, IDLE) and POP3 (STLS, RETR,
 * DELE). Nothing of it outlives the run: the folder is removed and no port stays open.
 *
 * <p>Why a run of its own and not the server's first real run (issue 12): the JVM writes the cache only when the
 * training process exits, and a process that records keeps its profiles in memory meanwhile (about 45 MB), so a
 * server that trained while serving paid that for its whole first life and a slower stop.
 */
public final class TrainingRun {
    private static final String DOMAIN = "train.test";
    private static final String USER = "t@" + DOMAIN;
    private static final String PASSWORD = "training only, never a real account";
    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(60);

    /** What to send: inbound messages, submitted ones (most relayed), IMAP and POP3 sessions. */
    public record Load(int inbound, int submitted, int imapSessions, int popSessions, int concurrency) {
        public static Load scaled(int inbound) {
            return new Load(inbound, Math.max(10, inbound / 4), Math.max(4, inbound / 100),
                    Math.max(2, inbound / 500), 8);
        }
    }

    /** What was done, for the command's one line. */
    public record Outcome(int inbound, int submitted, int relayed, int imapSessions, int popSessions,
                          Duration took) {}

    private TrainingRun() {}

    /** Runs {@code load} against a server with its folder under {@code parent}; removes the folder after. */
    public static Outcome run(Path parent, Load load) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory(parent, "postwerk-training-");
        try (Sink sink = new Sink()) {
            Config config = config(dir, sink.address());
            new AccountEditor(new AccountStore(config.dataDir().resolve("accounts"),
                    AccountSettings.of(Set.of(DOMAIN)))).addUser(USER, PASSWORD.toCharArray());
            DurableFile.write(new DkimKeys(config.dataDir()).path(DOMAIN, "train"),
                    DkimKeys.pem(DkimKeys.generate(Algorithm.KeyType.RSA)));
            Postwerk server = Postwerk.start(config);
            try {
                int relayed = drive(server, sink, load);
                return new Outcome(load.inbound(), load.submitted(), relayed, load.imapSessions(),
                        load.popSessions(), Duration.ofNanos(System.nanoTime() - t0));
            } finally {
                server.close();
            }
        } finally {
            removeAll(dir);
        }
    }

    private static int drive(Postwerk server, Sink sink, Load load) throws IOException, InterruptedException {
        InetSocketAddress smtp = address(server, Role.SMTP);
        InetSocketAddress submission = address(server, Role.SUBMISSION);
        InetSocketAddress imap = address(server, Role.IMAP);
        InetSocketAddress pop3 = address(server, Role.POP3);
        parallel(load.inbound(), load.concurrency(), i -> inbound(smtp, i));
        AtomicInteger relayed = new AtomicInteger();
        AtomicInteger local = new AtomicInteger();
        parallel((load.submitted() + 4) / 5, Math.max(1, load.concurrency() / 2),
                i -> submit(submission, i, Math.min(5, load.submitted() - i * 5), relayed, local));
        Mailboxes.await(imap, USER, PASSWORD, load.inbound() + local.get(), DELIVERY_WAIT);
        awaitSink(sink, relayed.get());
        parallel(load.imapSessions(), Math.min(4, load.concurrency()), i -> Mailboxes.imapSession(imap, USER,
                PASSWORD, "Train" + i));
        for (int i = 0; i < load.popSessions(); i++) { // one at a time: POP3 locks the mailbox
            Mailboxes.popSession(pop3, USER, PASSWORD);
        }
        implicitTls(server);
        return relayed.get();
    }

    /** Once each: the implicit-TLS listeners, the web listeners' autoconfig, the operators' scrape. */
    private static void implicitTls(Postwerk server) throws IOException {
        try (Wire w = Wire.connectTls(address(server, Role.SUBMISSIONS))) {
            w.reply(220);
            w.smtp("EHLO laptop.train.test", 250);
            w.smtp("QUIT", 221);
        }
        try (Wire w = Wire.connectTls(address(server, Role.IMAPS))) {
            w.expect("* OK");
            w.imap("a", "LOGIN \"" + USER + "\" \"" + PASSWORD + "\"");
            w.imap("b", "LOGOUT");
        }
        try (Wire w = Wire.connectTls(address(server, Role.POP3S))) {
            w.expect("+OK");
            w.pop("USER " + USER, false);
            w.pop("PASS " + PASSWORD, false);
            w.pop("QUIT", false);
        }
        String autoconfig = "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=" + USER;
        Wire.get(address(server, Role.WEB), true, autoconfig);
        Wire.get(address(server, Role.HTTP), false, autoconfig);
        InetSocketAddress ops = server.opsAddress().orElseThrow();
        Wire.get(ops, false, "/metrics");
        Wire.get(ops, false, "/health");
    }

    /** One message from the Internet to the local user, on a connection of its own. */
    private static void inbound(InetSocketAddress smtp, int i) throws IOException {
        try (Wire w = Wire.connect(smtp)) {
            w.reply(220);
            w.smtp("EHLO client" + (i % 50) + ".remote.test", 250);
            w.smtp("MAIL FROM:<sender" + (i % 200) + "@remote.test> SIZE=4200", 250);
            w.smtp("RCPT TO:<" + USER + ">", 250);
            w.smtp("DATA", 354);
            w.sendBytes(Messages.data("sender" + (i % 200) + "@remote.test", USER, i, 4096));
            w.reply(250);
            w.smtp("QUIT", 221);
        }
    }

    /** {@code count} messages from the user over one submission session; every fifth also to the user. */
    private static void submit(InetSocketAddress submission, int session, int count, AtomicInteger relayed,
                               AtomicInteger local) throws IOException {
        try (Wire w = Wire.connect(submission)) {
            w.reply(220);
            w.smtp("EHLO laptop.train.test", 250);
            w.smtp("STARTTLS", 220);
            w.startTls();
            w.smtp("EHLO laptop.train.test", 250);
            String plain = Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            w.smtp("AUTH PLAIN " + plain, 235);
            for (int k = 0; k < count; k++) {
                int n = session * 5 + k;
                boolean alsoLocal = n % 5 == 0;
                w.smtp("MAIL FROM:<" + USER + ">", 250);
                w.smtp("RCPT TO:<x" + (n % 20) + "@remote.test>", 250);
                if (alsoLocal) {
                    w.smtp("RCPT TO:<" + USER + ">", 250);
                }
                w.smtp("DATA", 354);
                w.sendBytes(Messages.data(USER, "x" + (n % 20) + "@remote.test", n, 2048 + (n % 7) * 1024));
                w.reply(250);
                relayed.incrementAndGet();
                if (alsoLocal) {
                    local.incrementAndGet();
                }
            }
            w.smtp("QUIT", 221);
        }
    }

    private static void awaitSink(Sink sink, int expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_WAIT.toNanos();
        while (sink.messages() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IOException("only " + sink.messages() + " of " + expected
                        + " relayed messages reached the sink in " + DELIVERY_WAIT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    interface Step {
        void run(int i) throws IOException;
    }

    /** Runs step 0..n-1 on {@code width} virtual threads; the first failure ends the run. */
    private static void parallel(int n, int width, Step step) throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < width; t++) {
                workers.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        step.run(i);
                    }
                    return null;
                }));
            }
            for (Future<Void> f : workers) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    next.set(n); // the others stop after their current step
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
        }
    }

    private static InetSocketAddress address(Postwerk server, Role role) {
        return Stream.concat(server.listeners().stream().filter(l -> l.role() == role).map(Listener::address),
                server.webServers().stream().filter(w -> w.role() == role).map(WebServer::address)).findFirst()
                .orElseThrow();
    }

    /**
     * Defaults but for what a throw-away server needs: its own domain and user, no DNS (a loopback port where
     * nothing answers, so nothing leaves the machine), no rate limits (one client sends everything), mail for
     * remote.test to the sink, and every kind of listener (a start loads what they need) on a free port.
     */
    private static Config config(Path dir, InetSocketAddress sink) {
        String toml = """
                hostname = "mx.%1$s"
                data_dir = "data"
                local_domains = ["%1$s"]
                [smtp]
                postmaster = "%2$s"
                [dns]
                servers = ["127.0.0.1:9"]
                timeout = "1s"
                [auth]
                spf_verify = false
                dkim_verify = false
                dmarc = "off"
                [rate_limits]
                connections_per_ip = "off"
                connections_per_network = "off"
                messages_per_ip = "off"
                recipients_per_ip = "off"
                messages_per_network = "off"
                recipients_per_network = "off"
                messages_per_user = "off"
                recipients_per_user = "off"
                messages_per_sender_domain = "off"
                recipients_per_sender_domain = "off"
                [[route]]
                domain = "remote.test"
                host = "127.0.0.1"
                port = %3$d
                """.formatted(DOMAIN, USER, sink.getPort());
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<ListenerConfig> listeners = Stream.of(Role.values())
                .map(r -> new ListenerConfig(r, new InetSocketAddress(loopback, 0), false)).toList();
        return ConfigLoader.parse(toml, dir, "training").withListeners(listeners);
    }

    private static void removeAll(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
