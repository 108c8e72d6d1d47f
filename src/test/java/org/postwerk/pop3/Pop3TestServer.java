package org.postwerk.pop3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.mailbox.ChangeLog;
import org.postwerk.mailbox.maildir.Folders;
import org.postwerk.mailbox.maildir.MaildirAccess;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.net.UserSlots;
import org.postwerk.sasl.CredentialStore;
import org.postwerk.sasl.LoginBudget;
import org.postwerk.sasl.PasswordCheck;
import org.postwerk.sasl.Sasl;
import org.postwerk.sasl.ScramCredentials;
import org.postwerk.testkit.TestServer;
import org.postwerk.testkit.TestTls;

/** A POP3 listener on loopback over a temporary Maildir root, with one user and real TLS. */
final class Pop3TestServer implements AutoCloseable {
    static final String USER = "alice@example.org";
    static final String PASSWORD = "a-long-password";

    final Path mailRoot;
    final Folders folders;
    final TestTls tls = new TestTls("pop.example.org");
    private final ServerSocket server;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    Pop3TestServer(Path dir, Role role) throws IOException {
        this(dir, role, Duration.ofMinutes(10));
    }

    Pop3TestServer(Path dir, Role role, Duration loginTimeout) throws IOException {
        this.mailRoot = dir.resolve("mail");
        this.folders = new Folders(mailRoot, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC());
        CredentialStore creds = new CredentialStore() {
            public PasswordCheck authenticate(String user, char[] password) {
                return user.equalsIgnoreCase(USER) && new String(password).equals(PASSWORD)
                        ? PasswordCheck.VALID : PasswordCheck.INVALID;
            }

            public Optional<ScramCredentials> scram(String user) {
                return user.equalsIgnoreCase(USER)
                        ? Optional.of(ScramCredentials.derive(PASSWORD.toCharArray(), "fixed-salt-16byt".getBytes(), 4096))
                        : Optional.empty();
            }
        };
        Pop3Services services = new Pop3Services(new Sasl(creds, new LoginBudget(1000, Clock.systemUTC())),
                account -> new MaildirAccess(folders, maildir(), -1), new UserSlots(3), tls::wrapServer);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Pop3Settings settings = new Pop3Settings("pop.example.org",
                new ListenerConfig(role, (InetSocketAddress) server.getLocalSocketAddress(), false),
                Duration.ofMinutes(10), loginTimeout, 10, 3, Duration.ZERO);
        ConnectionLimiter limiter = new ConnectionLimiter(TestServer.LIMITS, List.of());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(new Pop3Session(s, settings, services, limiter, watchdog,
                            Long.toString(ids.incrementAndGet())));
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

    /** A delivery as SMTP makes it: an LF file in new/ named with both sizes, then the in-process notification. */
    void deliver(String text) throws IOException {
        Path dir = maildir();
        Files.createDirectories(dir.resolve("new"));
        Files.createDirectories(dir.resolve("cur"));
        Files.createDirectories(dir.resolve("tmp"));
        byte[] lf = text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
        long crlf = lf.length;
        for (byte b : lf) {
            crlf += b == '\n' ? 1 : 0;
        }
        String base = "1000.M" + delivered.incrementAndGet() + "P1Q1.h";
        Files.write(dir.resolve("new").resolve(base + ",S=" + lf.length + ",W=" + crlf), lf);
        folders.delivered(dir);
    }

    @Override
    public void close() throws IOException {
        server.close();
        watchdog.shutdownNow();
    }
}
