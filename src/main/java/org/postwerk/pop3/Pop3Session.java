package org.postwerk.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLSocket;
import org.postwerk.log.Sanitize;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.net.Listener;
import org.postwerk.net.Session;
import org.postwerk.tls.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 session (RFC 1939) on one connection, run by one virtual thread. It reads like the RFC's states:
 * AUTHORIZATION (USER, PASS, AUTH, STLS, CAPA), TRANSACTION (STAT, LIST, RETR, DELE, RSET, TOP, UIDL, NOOP),
 * and UPDATE, entered only by QUIT: the deletions become durable before the +OK (a session that ends any other
 * way changes nothing). Logins are in {@link Pop3Login}, the maildrop in {@link Maildrop}.
 */
public final class Pop3Session implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    /**
     * Octets of one command line. RFC 2449 §4 allows clients 255; a SASL response (RFC 5034 §4: no limit of its
     * own) of the longest message {@link org.postwerk.sasl.Sasl} reads is under 6 KiB in base64.
     */
    static final int MAX_LINE = 8 * 1024;

    private final Pop3Settings settings;
    private final Pop3Services services;
    private final ConnectionLimiter limiter;
    private final ScheduledExecutorService watchdog;
    private final String id;

    private Socket socket;
    private InetSocketAddress client;
    private LineInput in;
    private Pop3Output out;
    private volatile boolean awaitingCommand;
    private volatile boolean shuttingDown;
    private boolean end;

    private TlsInfo tls;
    private String pendingUser; // after USER, before PASS
    private String user;
    private Maildrop maildrop;
    private int commands;
    private int errors;
    private int authFailures;
    private int retrieved;

    public Pop3Session(Socket socket, Pop3Settings settings, Pop3Services services, ConnectionLimiter limiter,
                       ScheduledExecutorService watchdog, String id) {
        this.socket = socket;
        this.settings = settings;
        this.services = services;
        this.limiter = limiter;
        this.watchdog = watchdog;
        this.id = id;
    }

    /** The sessions of one POP3 listener. */
    public static Listener.Factory factory(Pop3Settings settings, Pop3Services services, ConnectionLimiter limiter) {
        return (socket, watchdog, id) -> new Pop3Session(socket, settings, services, limiter, watchdog, id);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void run() {
        client = (InetSocketAddress) socket.getRemoteSocketAddress();
        boolean entered = false;
        try {
            in = new LineInput(socket.getInputStream(), MAX_LINE);
            out = new Pop3Output(socket.getOutputStream());
            String refused = limiter.tryEnter(client.getAddress());
            entered = refused == null;
            LOG.info("session={} event=connect client={} listener={}", id, addr(), settings.role());
            if (refused != null) {
                out.err("SYS/TEMP", refused);
                return;
            }
            if (settings.role().implicitTls()) {
                startTls();
            }
            out.ok(settings.hostname() + " Postwerk POP3 ready");
            loop();
        } catch (SocketTimeoutException e) {
            // RFC 1939 §3: an autologout timer ends the session without entering UPDATE.
            lastWords("Autologout; idle for too long");
            LOG.info("session={} event=timeout", id);
        } catch (EOFException e) {
            LOG.info("session={} event=eof", id);
        } catch (IOException e) {
            if (!shuttingDown) {
                LOG.info("session={} event=io-error reason=\"{}\"", id, e.toString());
            }
        } finally {
            finish(entered);
        }
    }

    private void finish(boolean entered) {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                // the client is gone already
            }
        }
        if (maildrop != null) {
            maildrop.close();
        }
        if (entered) {
            limiter.exit(client.getAddress());
        }
        if (user != null) {
            services.slots().exit(user.toLowerCase(Locale.ROOT));
        }
        closeQuietly();
        LOG.info("session={} event=disconnect user={} commands={} retrieved={} out={}", id,
                user == null ? "-" : Sanitize.log(user), commands, retrieved, out == null ? 0 : out.written());
    }

    private void loop() throws IOException {
        while (!end) {
            if (shuttingDown) {
                lastWords("Server shutting down");
                return;
            }
            if (in.buffered() == 0) {
                out.flush(); // pipelined commands (RFC 2449 PIPELINING) are answered in one write
            }
            socket.setSoTimeout((int) (user == null ? settings.login() : settings.idle()).toMillis());
            awaitingCommand = true;
            LineInput.Read read = in.read();
            awaitingCommand = false;
            switch (read) {
                case LineInput.Read.Eof e -> throw new EOFException();
                case LineInput.Read.TooLong t -> error("Line too long");
                case LineInput.Read.Line l -> {
                    commands++;
                    Pop3Command command = Pop3Parser.parse(l.text());
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("session={} command=\"{}\"", id, forLog(command, l.text()));
                    }
                    handle(command);
                }
            }
        }
        out.flush();
    }

    private static String forLog(Pop3Command command, String line) {
        return switch (command) {
            case Pop3Command.Pass p -> "PASS <redacted>";
            case Pop3Command.Auth a -> "AUTH " + a.mechanism().orElse("") + (a.initialResponse().isPresent() ? " <redacted>" : "");
            default -> Sanitize.text(line, 100);
        };
    }

    private void handle(Pop3Command command) throws IOException {
        if (user == null) {
            authorization(command);
        } else {
            transaction(command);
        }
    }

    /** RFC 1939 §4: the AUTHORIZATION state. */
    private void authorization(Pop3Command command) throws IOException {
        switch (command) {
            case Pop3Command.Capa c -> capa();
            case Pop3Command.Quit q -> quit();
            case Pop3Command.Stls s -> stls();
            case Pop3Command.User u -> {
                if (tls == null) {
                    out.err("AUTH", "Login only over TLS: use STLS or port 995");
                } else {
                    pendingUser = u.name();
                    out.ok("Send the password"); // the same whether or not the account exists
                }
            }
            case Pop3Command.Pass p -> {
                if (pendingUser == null) {
                    error("USER first");
                } else {
                    String name = pendingUser;
                    pendingUser = null;
                    new Pop3Login(this).pass(name, p.password());
                }
            }
            case Pop3Command.Auth a -> {
                pendingUser = null;
                new Pop3Login(this).auth(a);
            }
            case Pop3Command.Apop a -> out.err(null, "APOP not supported"); // it needs the password in clear on the server
            case Pop3Command.Noop n -> out.err(null, "Not logged in");
            case Pop3Command.Invalid i -> error("Syntax error in " + i.verb());
            case Pop3Command.Unknown u -> error("Unknown command");
            default -> error("Not logged in");
        }
    }

    /** RFC 1939 §5: the TRANSACTION state. */
    private void transaction(Pop3Command command) throws IOException {
        switch (command) {
            case Pop3Command.Capa c -> capa();
            case Pop3Command.Quit q -> update();
            case Pop3Command.Stat s -> out.ok(maildrop.count() + " " + maildrop.octets());
            case Pop3Command.ListMessages l -> list(l);
            case Pop3Command.Uidl u -> uidl(u);
            case Pop3Command.Retr r -> retrieve(r.message(), -1);
            case Pop3Command.Top t -> retrieve(t.message(), t.lines());
            case Pop3Command.Dele d -> {
                if (noSuchMessage(d.message())) {
                    return;
                }
                maildrop.delete(d.message());
                out.ok("Message " + d.message() + " deleted");
            }
            case Pop3Command.Noop n -> out.ok("");
            case Pop3Command.Rset r -> {
                maildrop.reset();
                out.ok("Maildrop has " + maildrop.count() + " messages (" + maildrop.octets() + " octets)");
            }
            case Pop3Command.Invalid i -> error("Syntax error in " + i.verb());
            case Pop3Command.Unknown u -> error("Unknown command");
            default -> error("Already logged in");
        }
    }

    /** RFC 2449 §5: what this session can do now; USER and SASL only inside TLS. */
    private void capa() throws IOException {
        List<String> caps = new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING"));
        if (user == null) {
            if (tls == null && services.tls() != null) {
                caps.add("STLS");
            }
            if (tls != null) {
                caps.add("USER");
                caps.add("SASL " + String.join(" ", Pop3Login.MECHANISMS));
            }
        }
        // RFC 2449 §6.7: we never delete messages by age; not announcing EXPIRE leaves it open, so say NEVER.
        caps.add("EXPIRE NEVER");
        caps.add("IMPLEMENTATION Postwerk");
        out.ok("Capability list follows");
        for (String c : caps) {
            out.line(c);
        }
        out.line(".");
    }

    private void list(Pop3Command.ListMessages l) throws IOException {
        if (l.message().isPresent()) {
            int m = l.message().getAsInt();
            if (!noSuchMessage(m)) {
                out.ok(m + " " + maildrop.size(m));
            }
            return;
        }
        out.ok(maildrop.count() + " messages (" + maildrop.octets() + " octets)");
        for (int m = 1; m <= maildrop.last(); m++) {
            if (maildrop.exists(m)) {
                out.line(m + " " + maildrop.size(m));
            }
        }
        out.line(".");
    }

    private void uidl(Pop3Command.Uidl u) throws IOException {
        if (u.message().isPresent()) {
            int m = u.message().getAsInt();
            if (!noSuchMessage(m)) {
                out.ok(m + " " + maildrop.uidl(m));
            }
            return;
        }
        out.ok("Unique-ID listing follows");
        for (int m = 1; m <= maildrop.last(); m++) {
            if (maildrop.exists(m)) {
                out.line(m + " " + maildrop.uidl(m));
            }
        }
        out.line(".");
    }

    /** RETR (bodyLines -1) and TOP. */
    private void retrieve(int message, int bodyLines) throws IOException {
        if (noSuchMessage(message)) {
            return;
        }
        Optional<InputStream> content = maildrop.content(message);
        if (content.isEmpty()) {
            // Expunged by an IMAP session since our login: RFC 1939 has no word for it; Dovecot answers the same way.
            out.err(null, "Message " + message + " was expunged by another session");
            return;
        }
        try (InputStream s = content.get()) {
            out.ok(bodyLines < 0 ? maildrop.size(message) + " octets" : "Top of message follows");
            MessageLines.send(s, out.stream(), bodyLines);
        }
        if (bodyLines < 0) {
            maildrop.retrieved(message);
            retrieved++;
        }
    }

    /** True (and -ERR sent) when the number names no message or a deleted one (RFC 1939 §5). */
    private boolean noSuchMessage(int message) throws IOException {
        if (maildrop.exists(message)) {
            return false;
        }
        out.err(null, message <= maildrop.last() && message >= 1 ? "Message " + message + " already deleted"
                : "No such message");
        return true;
    }

    /** QUIT in TRANSACTION: the UPDATE state (RFC 1939 §6); +OK only once the changes are durable. */
    private void update() throws IOException {
        end = true;
        int removed;
        try {
            removed = maildrop.update();
        } catch (IOException | RuntimeException e) {
            LOG.warn("session={} event=update-failed user={} reason=\"{}\"", id, Sanitize.log(user), e.toString());
            out.err("SYS/TEMP", "Some deleted messages not removed");
            return;
        }
        LOG.info("session={} event=update user={} deleted={}", id, Sanitize.log(user), removed);
        out.ok(settings.hostname() + " closing (" + removed + " messages deleted)");
    }

    private void quit() throws IOException {
        end = true;
        out.ok(settings.hostname() + " closing");
    }

    private void stls() throws IOException {
        if (services.tls() == null || tls != null) {
            error("STLS not available");
            return;
        }
        if (in.buffered() > 0) {
            // RFC 2595 §4 (and RFC 3207 §4.2's reasoning): nothing may follow STLS before the handshake.
            throw new IOException("plaintext after STLS");
        }
        out.ok("Begin TLS negotiation");
        out.flush();
        startTls();
        pendingUser = null;
    }

    private void startTls() throws IOException {
        SSLSocket ssl = services.tls().wrap(socket, settings.login(), watchdog);
        socket = ssl;
        in.switchTo(ssl.getInputStream());
        out.switchTo(ssl.getOutputStream());
        tls = TlsInfo.of(ssl);
        LOG.info("session={} event=tls protocol={} cipher={}", id, tls.protocol(), tls.cipherSuite());
    }

    /** -ERR for a bad command; after too many the session ends (as SMTP's error limit does). */
    private void error(String text) throws IOException {
        if (++errors >= settings.errors()) {
            out.err(null, text + "; too many errors, closing");
            end = true;
            return;
        }
        out.err(null, text);
    }

    // --- for Pop3Login ---

    /** A successful login: the account's slot, then its maildrop; the reply in every case. */
    void loggedIn(String account, String mechanism) throws IOException {
        String key = account.toLowerCase(Locale.ROOT);
        if (!services.slots().tryEnter(key)) {
            LOG.info("session={} event=login-refused user={} reason=\"too many sessions\"", id, Sanitize.log(account));
            out.err("IN-USE", "Too many sessions for this account");
            return;
        }
        try {
            MailAccess mail = services.mail().open(account);
            maildrop = Maildrop.open(mail);
        } catch (IOException | MailAccess.Problem | RuntimeException e) {
            services.slots().exit(key);
            LOG.warn("session={} event=maildrop-failed user={} reason=\"{}\"", id, Sanitize.log(account), e.toString());
            out.err("SYS/TEMP", "Unable to open the maildrop, try again later");
            return;
        }
        user = account;
        LOG.info("session={} event=login user={} client={} tls={} mechanism={} messages={}", id, Sanitize.log(account),
                addr(), tls.protocol(), mechanism, maildrop.count());
        out.ok("Logged in, " + maildrop.count() + " messages (" + maildrop.octets() + " octets)");
    }

    Pop3Settings settings() {
        return settings;
    }

    Pop3Services services() {
        return services;
    }

    Pop3Output out() {
        return out;
    }

    LineInput input() {
        return in;
    }

    ConnectionLimiter limiter() {
        return limiter;
    }

    InetSocketAddress client() {
        return client;
    }

    TlsInfo tls() {
        return tls;
    }

    int countAuthFailure() {
        return ++authFailures;
    }

    /** Ends the session after the current reply. */
    void end() {
        end = true;
    }

    String addr() {
        return client == null ? "?" : client.getAddress().getHostAddress() + ":" + client.getPort();
    }

    private void lastWords(String text) {
        try {
            out.err(null, text);
            out.flush();
        } catch (IOException e) {
            // the client is gone already
        }
    }

    /** Asks the session to end: an idle one hears so at once (no UPDATE), a busy one after its command. */
    @Override
    public void shutdown() {
        shuttingDown = true;
        if (awaitingCommand && out != null && out.tryLock()) {
            try {
                out.err("SYS/TEMP", "Server shutting down");
                out.flush();
            } catch (IOException e) {
                // gone
            } finally {
                out.unlock();
            }
            closeQuietly();
        }
    }

    @Override
    public void abort() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
