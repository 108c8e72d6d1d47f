package org.postwerk.imap.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.imap.CommandReader;
import org.postwerk.mailbox.ChangeLog;
import org.postwerk.mailbox.maildir.Folders;
import org.postwerk.mailbox.maildir.MaildirAccess;
import org.postwerk.sasl.CredentialStore;
import org.postwerk.sasl.Sasl;
import org.postwerk.sasl.ScramCredentials;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.testkit.TestTls;

/**
 * An IMAP listener on loopback over a temporary Maildir root, with one user and real TLS. Exceptions that
 * escape a session are kept in {@link #escaped}.
 */
final class ImapTestServer implements AutoCloseable {
    static final String USER = "alice@example.org";
    static final String PASSWORD = "a-long-password";

    final Path mailRoot;
    final Folders folders;
    final TestTls tls = new TestTls("imap.example.org");
    private final ServerSocket server;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong ids = new AtomicLong();
    long appendLimit = 10 << 20;
    final java.util.List<Throwable> escaped = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What a test may change: the session settings, sessions per account, the connection limits. */
    record Tuning(java.util.function.UnaryOperator<ImapSettings> settings, int sessionsPerUser,
                  org.postwerk.config.Limits limits) {
        static final Tuning DEFAULT = new Tuning(s -> s, 3, org.postwerk.testkit.TestServer.LIMITS);
    }

    ImapTestServer(Path dir, Role role) throws IOException {
        this(dir, role, Tuning.DEFAULT);
    }

    ImapTestServer(Path dir, Role role, Tuning tuning) throws IOException {
        this.mailRoot = dir.resolve("mail");
        this.folders = new Folders(mailRoot, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC());
        Files.createDirectories(dir.resolve("spill"));
        CredentialStore creds = new CredentialStore() {
            public org.postwerk.sasl.PasswordCheck authenticate(String user, char[] password) {
                return user.equalsIgnoreCase(USER) && new String(password).equals(PASSWORD)
                        ? org.postwerk.sasl.PasswordCheck.VALID : org.postwerk.sasl.PasswordCheck.INVALID;
            }

            public Optional<ScramCredentials> scram(String user) {
                return user.equalsIgnoreCase(USER)
                        ? Optional.of(ScramCredentials.derive(PASSWORD.toCharArray(), "fixed-salt-16byt".getBytes(), 4096))
                        : Optional.empty();
            }
        };
        ImapServices services = new ImapServices(new Sasl(creds, new org.postwerk.sasl.LoginBudget(1000, Clock.systemUTC())), account -> new MaildirAccess(folders,
                maildir(), -1), new org.postwerk.net.UserSlots(tuning.sessionsPerUser()), tls::wrapServer, dir.resolve("spill"), Clock.systemUTC());
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ImapSettings settings = tuning.settings().apply(new ImapSettings("imap.example.org",
                new ListenerConfig(role, (InetSocketAddress) server.getLocalSocketAddress(), false),
                CommandReader.Limits.DEFAULT, Duration.ofMinutes(30), Duration.ofSeconds(30), 3, Duration.ZERO,
                appendLimit));
        ConnectionLimiter limiter = new ConnectionLimiter(tuning.limits(), java.util.List.of());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    ImapSession session = new ImapSession(s, settings, services, limiter, watchdog,
                            Long.toString(ids.incrementAndGet()));
                    Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> escaped.add(e)).start(session);
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    Path maildir() {
        return mailRoot.resolve("example.org/alice/Maildir");
    }

    int port() {
        return server.getLocalPort();
    }

    /** A delivery as SMTP makes it: an LF file in new/, then the in-process notification. */
    void deliver(String folderDir, String base, String text) throws IOException {
        Path dir = folderDir.isEmpty() ? maildir() : maildir().resolve(folderDir);
        Files.createDirectories(dir.resolve("new"));
        byte[] lf = text.replace("\r\n", "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long crlf = lf.length;
        for (byte b : lf) {
            if (b == '\n') {
                crlf++;
            }
        }
        Files.write(dir.resolve("new").resolve(base + ",S=" + lf.length + ",W=" + crlf), lf);
        folders.delivered(dir);
    }

    @Override
    public void close() throws IOException {
        server.close();
        watchdog.shutdownNow();
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
