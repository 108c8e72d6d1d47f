package org.postwerk.imap.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import javax.net.ssl.SSLSocket;
import org.postwerk.imap.CapabilityName;
import org.postwerk.imap.CommandParser;
import org.postwerk.imap.CommandReader;
import org.postwerk.imap.ImapCommand;
import org.postwerk.imap.RawCommand;
import org.postwerk.imap.ReadOutcome;
import org.postwerk.imap.ResponseCode;
import org.postwerk.io.SpillBuffer;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.net.Listener;
import org.postwerk.net.SessionMeters;
import org.postwerk.net.Session;
import org.postwerk.tls.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP session (RFC 9051, and RFC 3501 for IMAP4rev1 clients) on one connection, run by one virtual
 * thread. It reads like the RFC's state diagram: not authenticated (CAPABILITY, STARTTLS, AUTHENTICATE,
 * LOGIN), authenticated (mailbox commands), selected (message commands), logout. Mailbox commands are in
 * {@link MailboxCommands}, message commands in {@link MessageCommands}, logins in {@link Login}.
 */
public final class ImapSession implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    private final ImapSettings settings;
    private final ImapServices services;
    private final ConnectionLimiter limiter;
    private final ScheduledExecutorService watchdog;
    private final String id;

    private Socket socket;
    private InetSocketAddress client;
    private CommandReader reader;
    private ImapOutput out;
    private volatile boolean awaitingCommand;
    private volatile boolean shuttingDown;
    private boolean logout;

    private TlsInfo tls;
    private boolean compressed;
    private String user;
    private MailAccess mail;
    private Selection selected;
    private final Set<String> enabled = new LinkedHashSet<>();
    private int commands;
    private int authFailures;
    private final SessionMeters meters;

    public ImapSession(Socket socket, ImapSettings settings, ImapServices services, ConnectionLimiter limiter,
                       ScheduledExecutorService watchdog, String id) {
        this(socket, settings, services, limiter, watchdog, id, SessionMeters.NONE);
    }

    public ImapSession(Socket socket, ImapSettings settings, ImapServices services, ConnectionLimiter limiter,
                       ScheduledExecutorService watchdog, String id, SessionMeters meters) {
        this.meters = meters;
        this.socket = socket;
        this.settings = settings;
        this.services = services;
        this.limiter = limiter;
        this.watchdog = watchdog;
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** The sessions of one IMAP listener. */
    public static Listener.Factory factory(ImapSettings settings, ImapServices services, ConnectionLimiter limiter) {
        return factory(settings, services, limiter, SessionMeters.NONE);
    }

    /** The same, counting in the listener's {@code meters}. */
    public static Listener.Factory factory(ImapSettings settings, ImapServices services, ConnectionLimiter limiter,
                                           SessionMeters meters) {
        return (socket, watchdog, id) -> new ImapSession(socket, settings, services, limiter, watchdog, id, meters);
    }

    @Override
    public void run() {
        client = (InetSocketAddress) socket.getRemoteSocketAddress();
        boolean entered = false;
        try {
            attach(socket);
            String refused = limiter.tryEnter(client.getAddress());
            entered = refused == null;
            LOG.info("session={} event=connect client={} listener={}", id, addr(), settings.role());
            if (refused != null) {
                out.status("*", ImapOutput.Status.BYE, null, refused);
                return;
            }
            if (settings.role().implicitTls()) {
                startTls();
            }
            out.status("*", ImapOutput.Status.OK, new ResponseCode.Atom("CAPABILITY " + capabilities()),
                    settings.hostname() + " Postwerk IMAP ready");
            loop();
        } catch (SocketTimeoutException e) {
            bye("Autologout; idle for too long");
            LOG.info("session={} event=timeout", id);
        } catch (EOFException e) {
            LOG.info("session={} event=eof", id);
        } catch (IOException e) {
            if (!shuttingDown) {
                LOG.info("session={} event=io-error reason=\"{}\"", id, e.toString());
            }
        } finally {
            if (selected != null) {
                selected.close();
            }
            try {
                out.flush();
            } catch (IOException e) {
                // the client is gone already
            }
            if (entered) {
                limiter.exit(client.getAddress());
            }
            if (user != null) {
                services.slots().exit(user.toLowerCase(java.util.Locale.ROOT));
            }
            closeQuietly();
            LOG.info("session={} event=disconnect user={} commands={} out={}", id, user == null ? "-" : user,
                    commands, out == null ? 0 : out.written());
        }
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        InputStream in = s.getInputStream();
        if (reader == null) {
            reader = new CommandReader(in, CommandReader.Limits.BEFORE_LOGIN, this::spill); // loggedIn: the configured
            out = new ImapOutput(s.getOutputStream());
        } else {
            reader.switchTo(in);
            out.switchTo(s.getOutputStream());
        }
    }

    private SpillBuffer spill() {
        return new SpillBuffer(services.spillDir(), settings.reader().spillThreshold());
    }

    private void loop() throws IOException {
        while (!logout) {
            if (shuttingDown) {
                bye("Server shutting down");
                return;
            }
            out.flush();
            socket.setSoTimeout((int) (user == null ? settings.login() : settings.idle()).toMillis());
            awaitingCommand = true;
            ReadOutcome outcome = reader.read(this::continuation);
            awaitingCommand = false;
            switch (outcome) {
                case ReadOutcome.Ready r -> {
                    try (RawCommand raw = r.command()) {
                        commands++;
                        ImapCommand command = CommandParser.parse(raw);
                        LOG.debug("session={} command=\"{}\"", id, raw.forLog());
                        handle(command);
                    }
                }
                case ReadOutcome.LineTooLong t -> {
                    if (!refuse(t.tag(), "Command line too long", t.inStep())) {
                        return;
                    }
                }
                case ReadOutcome.LiteralTooBig t -> {
                    if ("APPEND".equals(t.command()) && t.tag() != null) {
                        out.status(t.tag(), ImapOutput.Status.NO, new ResponseCode.Atom("TOOBIG"),
                                "Message too large");
                        if (!t.inStep()) {
                            bye("Literal too large");
                            return;
                        }
                    } else if (!refuse(t.tag(), "Literal too large", t.inStep())) {
                        return;
                    }
                }
                case ReadOutcome.TooManyLiterals t -> {
                    if (!refuse(t.tag(), "Too many literals", t.inStep())) {
                        return;
                    }
                }
                case ReadOutcome.Refused r -> out.status(r.tag(), ImapOutput.Status.NO,
                        new ResponseCode.Atom("TOOBIG"), "Message too large");
                case ReadOutcome.Eof e -> {
                    return;
                }
            }
        }
    }

    /** BAD for a refused command; false when the stream is out of step and the session must end. */
    private boolean refuse(String tag, String text, boolean inStep) throws IOException {
        out.status(tag == null ? "*" : tag, ImapOutput.Status.BAD, null, text);
        if (!inStep) {
            bye(text);
            return false;
        }
        return true;
    }

    /** Before a synchronizing literal: APPEND beyond APPENDLIMIT is refused before the client sends it. */
    private boolean continuation(CommandReader.Announcement a) throws IOException {
        if ("APPEND".equals(a.command()) && a.size() > settings.appendLimit()) {
            return false;
        }
        out.continuation("Ready for literal data");
        out.flush();
        return true;
    }

    private void handle(ImapCommand command) throws IOException {
        Reply reply = dispatch(command);
        if (reply == null) {
            return; // the command answered itself (LOGOUT, STARTTLS, COMPRESS, IDLE, AUTHENTICATE)
        }
        if (selected != null && reply.status() != ImapOutput.Status.BAD) {
            selected.report(out, MessageCommands.expungesAllowedAfter(command), options());
        }
        out.status(command.tag(), reply.status(), reply.code(), reply.text());
    }

    /** A tagged status response. */
    record Reply(ImapOutput.Status status, ResponseCode code, String text) {
        static Reply ok(String text) {
            return new Reply(ImapOutput.Status.OK, null, text);
        }

        static Reply ok(ResponseCode code, String text) {
            return new Reply(ImapOutput.Status.OK, code, text);
        }

        static Reply no(ResponseCode code, String text) {
            return new Reply(ImapOutput.Status.NO, code, text);
        }

        static Reply bad(String text) {
            return new Reply(ImapOutput.Status.BAD, null, text);
        }
    }

    static final Reply WRONG_STATE = Reply.bad("Command not valid in this state");

    private Reply dispatch(ImapCommand command) throws IOException {
        return switch (command) {
            case ImapCommand.Capability c -> {
                out.untagged("CAPABILITY " + capabilities());
                yield Reply.ok("Capability completed");
            }
            case ImapCommand.Noop n -> Reply.ok("NOOP completed");
            case ImapCommand.Check c -> selected == null ? WRONG_STATE : Reply.ok("CHECK completed");
            case ImapCommand.Logout l -> {
                out.status("*", ImapOutput.Status.BYE, null, "Logging out");
                out.status(l.tag(), ImapOutput.Status.OK, null, "LOGOUT completed");
                logout = true;
                yield null;
            }
            case ImapCommand.Id i -> id(i);
            case ImapCommand.StartTls s -> starttls(s);
            case ImapCommand.Login l -> user != null ? WRONG_STATE : login().login(l);
            case ImapCommand.Authenticate a -> user != null ? WRONG_STATE : login().authenticate(a);
            case ImapCommand.Enable e -> user == null ? WRONG_STATE : enable(e);
            case ImapCommand.Compress c -> user == null ? WRONG_STATE : compress(c);
            case ImapCommand.Idle i -> user == null ? WRONG_STATE : idle(i);
            case ImapCommand.Select s -> user == null ? WRONG_STATE : select(s.mailbox(), s.params(), false);
            case ImapCommand.Examine e -> user == null ? WRONG_STATE : select(e.mailbox(), e.params(), true);
            case ImapCommand.Unselect u -> selected == null ? WRONG_STATE : unselect(false);
            case ImapCommand.Close c -> selected == null ? WRONG_STATE : unselect(!selected.readOnly);
            case ImapCommand.Invalid i -> Reply.bad("Syntax error");
            case ImapCommand.UnsupportedCharset u ->
                    Reply.no(new ResponseCode.Atom("BADCHARSET (UTF-8 US-ASCII)"), "Unsupported charset");
            case ImapCommand.Create c -> user == null ? WRONG_STATE : mailboxes().create(c);
            case ImapCommand.Delete d -> user == null ? WRONG_STATE : mailboxes().delete(d);
            case ImapCommand.Rename r -> user == null ? WRONG_STATE : mailboxes().rename(r);
            case ImapCommand.Subscribe s -> user == null ? WRONG_STATE : mailboxes().subscribe(s.mailbox(), true);
            case ImapCommand.Unsubscribe u -> user == null ? WRONG_STATE : mailboxes().subscribe(u.mailbox(), false);
            case ImapCommand.ListMailboxes l -> user == null ? WRONG_STATE : mailboxes().list(l);
            case ImapCommand.Lsub l -> user == null ? WRONG_STATE : mailboxes().lsub(l);
            case ImapCommand.Namespace n -> user == null ? WRONG_STATE : mailboxes().namespace();
            case ImapCommand.Status s -> user == null ? WRONG_STATE : mailboxes().status(s);
            case ImapCommand.Append a -> user == null ? WRONG_STATE : mailboxes().append(a);
            case ImapCommand.GetQuota q -> user == null ? WRONG_STATE : mailboxes().getQuota(q.root());
            case ImapCommand.GetQuotaRoot q -> user == null ? WRONG_STATE : mailboxes().getQuotaRoot(q.mailbox());
            case ImapCommand.SetQuota q -> user == null ? WRONG_STATE
                    : Reply.no(ResponseCode.NOPERM, "Quota is set by the administrator");
            case ImapCommand.Expunge e -> selected == null ? WRONG_STATE : messages().expunge(null);
            case ImapCommand.UidExpunge e -> selected == null ? WRONG_STATE : messages().expunge(e.uids());
            case ImapCommand.Search s -> selected == null ? WRONG_STATE : messages().search(s);
            case ImapCommand.Fetch f -> selected == null ? WRONG_STATE : messages().fetch(f);
            case ImapCommand.Store s -> selected == null ? WRONG_STATE : messages().store(s);
            case ImapCommand.Copy c -> selected == null ? WRONG_STATE : messages().copy(c.numbering(), c.set(), c.mailbox(), false);
            case ImapCommand.Move m -> selected == null ? WRONG_STATE : messages().copy(m.numbering(), m.set(), m.mailbox(), true);
            case ImapCommand.Sort s -> selected == null ? WRONG_STATE : messages().sort(s);
            case ImapCommand.Thread t -> selected == null ? WRONG_STATE : messages().thread(t);
        };
    }

    /** The capabilities to announce now (RFC 9051 §7.2.2): fewer before login, AUTH= only inside TLS. */
    String capabilities() {
        List<String> caps = new ArrayList<>(List.of(CapabilityName.IMAP4REV1.wire(), CapabilityName.IMAP4REV2.wire(),
                CapabilityName.SASL_IR.wire(), CapabilityName.LITERAL_PLUS.wire(), CapabilityName.ID.wire(),
                CapabilityName.ENABLE.wire(), CapabilityName.IDLE.wire()));
        if (user == null) {
            if (tls == null && services.tls() != null) {
                caps.add(CapabilityName.STARTTLS.wire());
            }
            if (tls == null) {
                caps.add(CapabilityName.LOGINDISABLED.wire()); // login only inside TLS (RFC 8314, our policy)
            } else {
                for (String m : org.postwerk.sasl.Sasl.MECHANISMS) {
                    if (!m.equals("LOGIN")) {
                        caps.add("AUTH=" + m);
                    }
                }
            }
            return String.join(" ", caps);
        }
        for (CapabilityName c : List.of(CapabilityName.UIDPLUS, CapabilityName.MOVE, CapabilityName.UNSELECT,
                CapabilityName.NAMESPACE, CapabilityName.CHILDREN, CapabilityName.SPECIAL_USE,
                CapabilityName.CREATE_SPECIAL_USE, CapabilityName.CONDSTORE, CapabilityName.QRESYNC,
                CapabilityName.ESEARCH, CapabilityName.SEARCHRES, CapabilityName.LIST_EXTENDED,
                CapabilityName.LIST_STATUS, CapabilityName.QUOTA, CapabilityName.QUOTA_STORAGE,
                CapabilityName.BINARY, CapabilityName.SORT, CapabilityName.THREAD_REFERENCES,
                CapabilityName.THREAD_ORDEREDSUBJECT, CapabilityName.UTF8_ACCEPT, CapabilityName.STATUS_SIZE)) {
            caps.add(c.wire());
        }
        if (!compressed) {
            caps.add(CapabilityName.COMPRESS_DEFLATE.wire());
        }
        caps.add("APPENDLIMIT=" + settings.appendLimit());
        return String.join(" ", caps);
    }

    private Reply id(ImapCommand.Id i) throws IOException {
        if (!i.fields().isEmpty()) {
            LOG.info("session={} event=id client-id=\"{}\"", id,
                    org.postwerk.log.Sanitize.text(i.fields().toString(), 200));
        }
        out.untagged("ID (\"name\" \"Postwerk\")");
        return Reply.ok("ID completed");
    }

    private Reply starttls(ImapCommand.StartTls s) throws IOException {
        if (user != null) {
            return WRONG_STATE;
        }
        if (services.tls() == null || tls != null) {
            return Reply.bad("STARTTLS not available");
        }
        out.status(s.tag(), ImapOutput.Status.OK, null, "Begin TLS negotiation now");
        out.flush();
        if (reader.buffered() > 0) {
            // RFC 9051 §6.2.1: nothing may follow STARTTLS before the handshake (a command injection attempt).
            throw new IOException("plaintext after STARTTLS");
        }
        startTls();
        return null;
    }

    private void startTls() throws IOException {
        socket.setSoTimeout((int) settings.login().toMillis());
        ScheduledFuture<?> deadline = watchdog.schedule(this::closeQuietly, settings.login().toMillis(),
                TimeUnit.MILLISECONDS);
        SSLSocket ssl;
        try {
            ssl = services.tls().wrap(socket);
        } finally {
            deadline.cancel(false);
        }
        attach(ssl);
        tls = TlsInfo.of(ssl);
        meters.tls(tls.protocol());
        LOG.info("session={} event=tls protocol={} cipher={}", id, tls.protocol(), tls.cipherSuite());
    }

    private Reply enable(ImapCommand.Enable e) throws IOException {
        List<String> now = new ArrayList<>();
        for (String c : e.capabilities()) {
            String cap = c.toUpperCase(Locale.ROOT);
            boolean known = cap.equals("IMAP4REV2") || cap.equals("CONDSTORE") || cap.equals("QRESYNC")
                    || cap.equals("UTF8=ACCEPT");
            if (known && enabled.add(cap)) {
                now.add(cap.equals("IMAP4REV2") ? "IMAP4rev2" : cap);
            }
            if (cap.equals("QRESYNC")) {
                enabled.add("CONDSTORE"); // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE
            }
        }
        out.untagged("ENABLED" + (now.isEmpty() ? "" : " " + String.join(" ", now)));
        return Reply.ok("ENABLE completed");
    }

    private Reply compress(ImapCommand.Compress c) throws IOException {
        if (compressed) {
            return Reply.no(new ResponseCode.Atom("COMPRESSIONACTIVE"), "Compression is already on");
        }
        if (!c.algorithm().equals("DEFLATE")) {
            return Reply.bad("Unknown compression algorithm");
        }
        out.status(c.tag(), ImapOutput.Status.OK, null, "DEFLATE active");
        out.flush();
        compressed = true;
        // RFC 4978 §3: raw DEFLATE both ways from the octet after the CRLF of the OK.
        reader.switchTo(new InflaterInputStream(socket.getInputStream(), new Inflater(true), 8192));
        out.compress(socket.getOutputStream());
        return null;
    }

    private Reply idle(ImapCommand.Idle i) throws IOException {
        return new Idle(this, out, reader, socket, settings.idle()).run(i.tag());
    }

    private Reply select(String mailbox, org.postwerk.imap.SelectParams params, boolean readOnly) throws IOException {
        if (selected != null) {
            selected.close();
            selected = null;
            if (enabled.contains("QRESYNC")) {
                out.status("*", ImapOutput.Status.OK, new ResponseCode.Atom("CLOSED"), "Previous mailbox closed");
            }
        }
        MailboxCommands.Opened opened = mailboxes().select(mailbox, params, readOnly);
        if (opened.selection() != null) {
            selected = opened.selection();
            if (params.condstore()) {
                enabled.add("CONDSTORE"); // RFC 7162 §3.1.8: SELECT (CONDSTORE) enables it
            }
        }
        return opened.reply();
    }

    private Reply unselect(boolean expunge) throws IOException {
        if (expunge) {
            selected.folder.expunge(null); // CLOSE: silently (RFC 9051 §6.4.1)
        }
        selected.close();
        selected = null;
        return Reply.ok(expunge ? "CLOSE completed" : "UNSELECT completed");
    }

    // --- state shared with the command classes ---

    Selection.Options options() {
        return new Selection.Options(enabled.contains("IMAP4REV2"), enabled.contains("IMAP4REV2")
                || enabled.contains("UTF8=ACCEPT"), enabled.contains("CONDSTORE"), enabled.contains("QRESYNC"));
    }

    Selection selected() {
        return selected;
    }

    MailAccess mail() {
        return mail;
    }

    ImapSettings settings() {
        return settings;
    }

    ImapServices services() {
        return services;
    }

    ImapOutput out() {
        return out;
    }

    CommandReader reader() {
        return reader;
    }

    SessionMeters meters() {
        return meters;
    }

    ConnectionLimiter limiter() {
        return limiter;
    }

    InetSocketAddress client() {
        return client;
    }

    String sessionId() {
        return id;
    }

    TlsInfo tls() {
        return tls;
    }

    int countAuthFailure() {
        return ++authFailures;
    }

    /** Ends the session once the current command's tagged reply is out. */
    void closeAfterReply() {
        logout = true;
    }

    /** Called by {@link Login} on success. */
    void loggedIn(String account, MailAccess access) {
        this.user = account;
        this.mail = access;
        reader.limits(settings.reader());
    }

    String addr() {
        return client == null ? "?" : client.getAddress().getHostAddress() + ":" + client.getPort();
    }

    private Login login() {
        return new Login(this);
    }

    private MailboxCommands mailboxes() {
        return new MailboxCommands(this);
    }

    private MessageCommands messages() {
        return new MessageCommands(this);
    }

    private void bye(String text) {
        try {
            out.status("*", ImapOutput.Status.BYE, null, text);
            out.flush();
        } catch (IOException e) {
            // the client is gone already
        }
    }

    /** Asks the session to end: an idle one gets BYE at once, a busy one after its command. */
    @Override
    public void shutdown() {
        shuttingDown = true;
        if (awaitingCommand && out.tryLock()) {
            try {
                out.status("*", ImapOutput.Status.BYE, null, "Server shutting down");
                out.flush();
            } catch (IOException e) {
                // gone
            } finally {
                out.unlock();
            }
            closeQuietly();
        }
    }

    /** Ends the session at once (the shutdown grace is over). */
    @Override
    public void abort() {
        closeQuietly();
    }

    void closeQuietly() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
