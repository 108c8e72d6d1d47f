package org.postwerk.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.postwerk.config.Limits;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Network;
import org.postwerk.config.Role;
import org.postwerk.config.SmtpOptions;
import org.postwerk.config.Timeouts;
import org.postwerk.delivery.Inbound;
import org.postwerk.io.DiskSpace;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Intake;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.server.Authentication;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.smtp.server.InboundChecks;
import org.postwerk.smtp.server.OutboundSigner;
import org.postwerk.net.Listener;
import org.postwerk.smtp.server.RateLimits;
import org.postwerk.smtp.server.RelayPolicy;
import org.postwerk.smtp.server.Screening;
import org.postwerk.smtp.server.SessionServices;
import org.postwerk.smtp.server.SessionSettings;
import org.postwerk.smtp.server.SmtpSession;
import org.postwerk.net.TlsUpgrade;
import org.postwerk.io.PosixDisk;
import org.postwerk.store.Maildir;

/**
 * An in-process Postwerk SMTP server on 127.0.0.1 (ephemeral ports) delivering into a real Maildir under a
 * temporary directory; relayed messages are captured in memory ({@link #relayed()}). Build it with the
 * settings a test needs, then {@link #start()}.
 */
public final class TestServer implements AutoCloseable {
    public static final Limits LIMITS = new Limits(1024 * 1024, 100, 512, 1000, 100, 20, 30, 3, Duration.ZERO);
    public static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofMinutes(2));

    public final Path data;
    public final FakeDirectory directory = new FakeDirectory("example.org", "localhost")
            .account("alice@example.org").account("bob@example.org");
    private Limits limits = LIMITS;
    private Timeouts timeouts = TIMEOUTS;
    private boolean vrfy;
    private SmtpOptions.BareNewline bareNewline = SmtpOptions.BareNewline.NORMALIZE;
    private boolean proxy;
    private List<Network> proxyTrusted = ListenerConfig.LOOPBACK;
    private TlsUpgrade tls;
    private Authentication authentication;
    private List<Network> relayNetworks = List.of();
    private InboundChecks checks = InboundChecks.NONE;
    private OutboundSigner signer = OutboundSigner.NONE;
    private DiskSpace disk;
    private Screening screening = Screening.NONE;
    private RateLimits rates = RateLimits.NONE;
    private final List<Captured> relayed = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();

    /** A message that went to the (fake) queue. */
    public record Captured(Envelope envelope, byte[] content) {}

    public TestServer(Path data) {
        this.data = data;
    }

    public TestServer limits(Limits l) {
        limits = l;
        return this;
    }

    public TestServer timeouts(Timeouts t) {
        timeouts = t;
        return this;
    }

    public TestServer vrfy(boolean on) {
        vrfy = on;
        return this;
    }

    public TestServer bareNewline(SmtpOptions.BareNewline b) {
        bareNewline = b;
        return this;
    }

    public TestServer proxyProtocol(boolean on) {
        proxy = on;
        return this;
    }

    public TestServer proxyTrusted(String... cidrs) {
        proxyTrusted = Stream.of(cidrs).map(Network::parse).toList();
        return this;
    }

    public TestServer tls(TlsUpgrade t) {
        tls = t;
        return this;
    }

    public TestServer authentication(Authentication a) {
        authentication = a;
        return this;
    }

    public TestServer signer(OutboundSigner s) {
        signer = s;
        return this;
    }

    /** The free-space check; by default the real file system of {@link #data} with a 1-byte reserve. */
    public TestServer disk(DiskSpace d) {
        disk = d;
        return this;
    }

    public TestServer checks(InboundChecks c) {
        checks = c;
        return this;
    }

    public TestServer screening(Screening s) {
        screening = s;
        return this;
    }

    public TestServer rates(RateLimits r) {
        rates = r;
        return this;
    }

    public TestServer relayNetworks(String... cidrs) {
        relayNetworks = Stream.of(cidrs).map(Network::parse).toList();
        return this;
    }

    public TestServer start(Role... roles) throws IOException {
        Maildir maildir = new Maildir(data.resolve("mail"), "test.host", new PosixDisk());
        Intake queue = envelope -> new Intake.Draft() {
            final ByteArrayOutputStream content = new ByteArrayOutputStream();

            public OutputStream out() {
                return content;
            }

            public void commit() {
                relayed.add(new Captured(envelope, content.toByteArray()));
            }

            public void close() {}
        };
        SessionServices services = new SessionServices(directory, new Inbound(maildir, queue),
                new RelayPolicy(relayNetworks), tls, authentication, checks, signer, data.resolve("spill"), 64 * 1024,
                Clock.systemUTC(), disk != null ? disk : DiskSpace.of(data, 1), screening, rates);
        ConnectionLimiter limiter = new ConnectionLimiter(limits, relayNetworks);
        for (Role role : roles.length == 0 ? new Role[] {Role.SMTP} : roles) {
            SessionSettings settings = new SessionSettings("mx.example.org", new ListenerConfig(role,
                    new InetSocketAddress(0), proxy, proxyTrusted), limits, timeouts,
                    new SmtpOptions(vrfy, "postmaster@example.org", true, bareNewline),
                    new Mailbox("postmaster", "example.org"));
            Listener l = new Listener(role, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    SmtpSession.factory(settings, services, limiter), limiter);
            l.start();
            listeners.add(l);
        }
        return this;
    }

    public InetSocketAddress address(Role role) {
        return listeners.stream().filter(l -> l.role() == role).findFirst().orElseThrow().address();
    }

    public InetSocketAddress address() {
        return listeners.get(0).address();
    }

    public SmtpScript connect() throws IOException {
        return SmtpScript.connect(address());
    }

    public List<Captured> relayed() {
        return relayed;
    }

    /** Messages in an account's INBOX new/ folder, oldest first. */
    public List<Path> inbox(String account) {
        int at = account.indexOf('@');
        Path dir = data.resolve("mail").resolve(account.substring(at + 1)).resolve(account.substring(0, at))
                .resolve("Maildir").resolve("new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one message in the account's inbox, in its CRLF form (as IMAP and POP3 serve it; the file holds LF). */
    public String onlyMessage(String account) throws IOException {
        List<Path> files = inbox(account);
        if (files.size() != 1) {
            throw new AssertionError("expected one message for " + account + ", found " + files.size());
        }
        try (java.io.InputStream in = org.postwerk.io.LineEnds.toCrlf(Files.newInputStream(files.get(0)))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public void closeListeners(Duration grace) {
        listeners.forEach(l -> l.close(grace));
    }

    @Override
    public void close() {
        closeListeners(Duration.ofSeconds(2));
    }
}
