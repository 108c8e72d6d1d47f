package org.postwerk.smtp.server;

import org.postwerk.net.ConnectionLimiter;
import org.postwerk.net.Listener;
import org.postwerk.net.SessionMeters;
import org.postwerk.net.Session;
import org.postwerk.log.Sanitize;
import static org.postwerk.smtp.server.Replies.*;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.postwerk.account.Directory;
import org.postwerk.config.Role;
import org.postwerk.config.SmtpOptions.BareNewline;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.QueueIds;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Route;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.Command;
import org.postwerk.smtp.CommandParser;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.MailParameters;
import org.postwerk.smtp.RcptParameters;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.SmtpInput;
import org.postwerk.smtp.Verb;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.tls.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP server session (RFC 5321) on one connection, run by one virtual thread: a read loop, a switch over
 * the parsed command, one method per verb returning the reply. Transaction state lives in fields reset by
 * {@link #resetTransaction()}. Replies are buffered and flushed right before the session blocks for input
 * ({@link ReplyOutput}), which is what makes PIPELINING (RFC 2920) work without special cases. The content of
 * a message (DATA, BDAT) is taken in by a {@link Reception}; the fixed replies are in {@link Replies}, the
 * EHLO reply is built by {@link Ehlo}.
 */
public final class SmtpSession implements Session {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final QueueIds IDS = new QueueIds("");

    private static final long DEADLINE_GRACE_MS = 1_000;
    private static final Set<Verb> LOGGED_REFUSALS = EnumSet.of(Verb.MAIL, Verb.RCPT, Verb.DATA, Verb.BDAT);

    private final SessionSettings settings;
    private final SessionServices services;
    private final ConnectionLimiter limiter;
    private final ScheduledExecutorService watchdog;
    private final String id;
    private final SessionMeters meters;
    private final ReplyOutput output = new ReplyOutput();

    private Socket socket;
    private SmtpInput in;
    private InetSocketAddress client;
    private final ReadDeadlines deadlines;
    private boolean admitted;
    private boolean dataMode;
    private volatile boolean awaitingCommand;
    private volatile boolean shuttingDown;
    private volatile boolean cutOff;

    private String helo;
    private boolean esmtp;
    private TlsInfo tls;
    private String authUser;
    private final AuthVerb authVerb;
    private int errors;
    private int messages;

    // The mail transaction (RFC 5321 §3.3); null sender field means no MAIL yet.
    private Optional<Mailbox> sender;
    private MailParameters mailParameters;
    private final List<Recipient> recipients = new ArrayList<>();
    private InboundChecks.Transaction checks;
    private Screening.Connection screen;
    /** The checks of the whole session (milters see the connection and HELO); null before the greeting. */
    private InboundChecks.Connection connectionChecks;
    private String queueId;
    private Reception message;
    /** The message whose content the current command ended (for the log), else null. */
    private Reception finished;

    public SmtpSession(Socket socket, SessionSettings settings, SessionServices services,
                       ConnectionLimiter limiter, ScheduledExecutorService watchdog, String id) {
        this(socket, settings, services, limiter, watchdog, id, SessionMeters.NONE);
    }

    public SmtpSession(Socket socket, SessionSettings settings, SessionServices services,
                       ConnectionLimiter limiter, ScheduledExecutorService watchdog, String id, SessionMeters meters) {
        this.meters = meters;
        this.socket = socket;
        this.settings = settings;
        this.services = services;
        this.limiter = limiter;
        this.watchdog = watchdog;
        this.id = id;
        this.deadlines = new ReadDeadlines(settings.timeouts(), limiter::stressed, System.nanoTime());
        this.authVerb = new AuthVerb(id, settings, services, limiter, meters);
    }

    @Override
    public String id() {
        return id;
    }

    /** The sessions of one SMTP listener. */
    public static Listener.Factory factory(SessionSettings settings, SessionServices services,
                                           ConnectionLimiter limiter) {
        return factory(settings, services, limiter, SessionMeters.NONE);
    }

    /** The same, counting in the listener's {@code meters}. */
    public static Listener.Factory factory(SessionSettings settings, SessionServices services,
                                           ConnectionLimiter limiter, SessionMeters meters) {
        return (socket, watchdog, id) -> new SmtpSession(socket, settings, services, limiter, watchdog, id, meters);
    }

    @Override
    public void run() {
        client = (InetSocketAddress) socket.getRemoteSocketAddress();
        // The deadline holds even where reads cannot enforce it (a TLS record or handshake trickled in byte by
        // byte restarts the socket timeout on every byte): a moment after it, the socket is simply closed.
        // (Where reads can enforce it, the client gets its 421 first.)
        ScheduledFuture<?> deadline = watchdog.schedule(this::closeQuietly,
                settings.timeouts().session().toMillis() + DEADLINE_GRACE_MS, TimeUnit.MILLISECONDS);
        try {
            if (settings.listener().proxyProtocol()) {
                client = readProxyHeader();
            }
            attach(socket);
            startLineDeadline();
            String refused = limiter.tryEnter(client.getAddress());
            admitted = refused == null;
            LOG.info("session={} event=connect client={} listener={}", id, addr(), settings.role());
            Reply reply = refused != null ? Reply.of(421, 4, 7, 0, refused)
                    : services.rates().atConnect(id, client.getAddress());
            if (reply != null) {
                MailLog.rejected(id, client, reply);
                meters.rejected("connect", status(reply));
                send(reply);
                return;
            }
            connectionChecks = services.checks().connect(new InboundChecks.Peer(client,
                    (InetSocketAddress) socket.getLocalSocketAddress(), id));
            if (settings.role() == Role.SUBMISSIONS) {
                startTls();
            }
            screen = services.screening().open(id, client.getAddress(), settings.role(),
                    services.relay().mayRelay(client.getAddress(), null));
            if (talksEarly(screen.greetWait())) {
                Reply early = screen.pregreet();
                MailLog.rejected(id, client, early, "reason", "pregreet");
                meters.rejected("connect", status(early));
                send(early);
                return;
            }
            send(Reply.plain(220, List.of(settings.hostname() + " ESMTP Postwerk")));
            loop();
        } catch (SocketTimeoutException e) {
            trySend(TIMEOUT);
            LOG.info("session={} event=timeout", id);
        } catch (EOFException e) {
            LOG.info("session={} event=eof", id);
        } catch (ProxyProtocol.BadHeader e) {
            LOG.info("session={} event=bad-proxy-header reason=\"{}\"", id, e.getMessage());
        } catch (IOException e) {
            if (!shuttingDown && !cutOff) {
                LOG.info("session={} event=io-error reason=\"{}\"", id, e.toString());
            }
        } finally {
            deadline.cancel(false);
            resetTransaction();
            if (connectionChecks != null) {
                connectionChecks.close();
            }
            leave(); // before the last reply goes out, as for QUIT
            try {
                flush(); // QUIT's 221, a final 421
            } catch (IOException e) {
                // the client is gone already
            }
            closeQuietly();
            LOG.info("session={} event=disconnect messages={} errors={}", id, messages, errors);
        }
    }

    /**
     * The pregreet test: waits up to {@code wait} before the greeting (a delay a bot often will not sit out) and
     * tells whether the client sent anything meanwhile. Nothing has been read through {@link #in} yet, so what
     * the client sent is simply dropped with the session (what has arrived is read, so that closing the socket
     * does not reset the connection before the client reads our refusal).
     */
    private boolean talksEarly(java.time.Duration wait) throws IOException {
        if (wait.isZero()) {
            return false;
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(wait.toMillis(), Integer.MAX_VALUE)));
        try {
            java.io.InputStream raw = socket.getInputStream();
            if (raw.read() < 0) {
                throw new EOFException("closed before the greeting");
            }
            raw.skip(raw.available());
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private InetSocketAddress readProxyHeader() throws IOException {
        return ProxyProtocol.read(socket, settings.listener().proxyTrusted(), settings.timeouts().command().toMillis());
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new SmtpInput(deadlines.watch(s.getInputStream()), 8192,
                settings.options().bareNewline() == BareNewline.NORMALIZE
                        ? SmtpInput.LineEnds.CRLF_OR_LF : SmtpInput.LineEnds.CRLF, this::beforeRead);
        output.attach(s.getOutputStream());
    }

    /** Flushes pending replies and bounds the coming read by the line (or data block) and session deadlines. */
    private void beforeRead() throws IOException {
        flush();
        socket.setSoTimeout(deadlines.nextRead(System.nanoTime(), dataMode));
    }

    private void startLineDeadline() {
        deadlines.startLine(System.nanoTime());
    }

    /** Gives the connection slot back; at the latest before the session's last reply is flushed. */
    private void leave() {
        if (admitted) {
            admitted = false;
            limiter.exit(client.getAddress());
        }
    }

    private void loop() throws IOException {
        while (true) {
            startLineDeadline();
            awaitingCommand = true;
            if (shuttingDown) {
                send(SHUTDOWN);
                return;
            }
            SmtpInput.Line line = in.readLine(settings.limits().commandLine());
            awaitingCommand = false;
            finished = null;
            if (line == null) {
                return;
            }
            Command command = switch (line.status()) {
                case TOO_LONG -> new Command.Invalid(Verb.UNKNOWN, LINE_TOO_LONG_COMMAND);
                case BARE_LF -> new Command.Invalid(Verb.UNKNOWN, BARE_LF_COMMAND);
                case OK -> CommandParser.parse(line.bytes(), line.length());
            };
            Reply reply = handle(command);
            if (reply != null) {
                send(reply);
                logRefusal(command, reply);
            }
            if (command instanceof Command.Quit) {
                return;
            }
            if (reply != null && reply.isPermanent() && ++errors >= settings.limits().errors()) {
                send(TOO_MANY_ERRORS);
                logRefusal(command, TOO_MANY_ERRORS);
                LOG.info("session={} event=too-many-errors", id);
                return;
            }
            if (reply != null && reply.code() == 421) {
                return;
            }
        }
    }

    private Reply handle(Command command) throws IOException {
        if (helo == null && command.verb() != Verb.HELO && command.verb() != Verb.EHLO
                && !command.verb().has(Verb.Flag.ALLOWED_BEFORE_HELO) && !(command instanceof Command.Invalid)) {
            if (command instanceof Command.Bdat b) {
                in.readChunk(b.size(), OutputStream.nullOutputStream()); // RFC 3030: always consume the chunk
            }
            return NEED_HELO;
        }
        if (message != null && command.verb().has(Verb.Flag.NOT_DURING_CHUNKS)) {
            return Reply.of(503, 5, 5, 1, command.verb() + " not allowed during BDAT; finish with BDAT LAST or RSET");
        }
        return switch (command) {
            case Command.Helo h -> helo(h.domain(), false);
            case Command.Ehlo e -> helo(e.domain(), true);
            case Command.Mail m -> mail(m);
            case Command.Rcpt r -> rcpt(r);
            case Command.Data d -> data();
            case Command.Bdat b -> bdat(b);
            case Command.Rset r -> {
                resetTransaction();
                yield OK;
            }
            case Command.Noop n -> OK;
            case Command.Quit q -> {
                leave(); // free before the 221 is sent: a client that reconnects at once must find the slot
                yield Reply.of(221, 2, 0, 0, settings.hostname() + " closing connection");
            }
            case Command.Vrfy v -> vrfy(v.argument());
            case Command.Expn e -> EXPN;
            case Command.Help h -> HELP;
            case Command.StartTls s -> starttls();
            case Command.Auth a -> auth(a);
            case Command.Invalid i -> i.reply();
        };
    }

    private Reply helo(String name, boolean extended) {
        resetTransaction();
        Reply refused = connectionChecks.atHelo(name, tls);
        if (refused != null) {
            return refused;
        }
        helo = name;
        esmtp = extended;
        LOG.info("session={} event={} name=\"{}\"", id, extended ? "ehlo" : "helo", Sanitize.text(name, 80));
        if (!extended) {
            return Reply.plain(250, List.of(settings.hostname()));
        }
        // AUTH is offered only inside TLS (RFC 8314 §3, our policy) and only once per session.
        boolean offerAuth = services.authentication() != null && tls != null && authUser == null;
        return Ehlo.reply(settings.hostname(), name, settings.limits().messageSize(),
                services.tls() != null && tls == null, tls != null, offerAuth ? services.authentication().mechanisms() : List.of());
    }

    private Reply mail(Command.Mail m) {
        if (sender != null) {
            return NESTED_MAIL;
        }
        if (settings.role() != Role.SMTP && authUser == null) {
            return NEED_AUTH;
        }
        MailParameters p = m.parameters();
        Reply unoffered = Ehlo.unoffered(m, esmtp, settings.limits().messageSize(), tls != null);
        if (unoffered != null) {
            return unoffered;
        }
        if (!services.disk().hasRoomFor(p.size().orElse(0))) {
            return NO_STORAGE; // refused now, not after the client has sent it all
        }
        if (authUser != null && m.sender().isPresent() && settings.options().senderLoginMatch()
                && !owns(authUser, m.sender().get())) {
            return SENDER_NOT_OWNED;
        }
        Reply listed = screen.atMail(authUser, helo, m.sender()); // DNS lists: before SPF's lookups
        if (listed != null) {
            return listed;
        }
        Reply limited = services.rates().atMail(id, client.getAddress(), authUser, m.sender()); // before the milters
        if (limited != null) {
            return limited;
        }
        String qid = IDS.next(services.clock().millis());
        InboundChecks.Transaction t = connectionChecks.begin(
                new InboundChecks.Client(client.getAddress(), helo, authUser, settings.role()), m.sender(), qid);
        Reply rejected = t.atMail();
        if (rejected != null) {
            t.abort();
            return rejected;
        }
        queueId = qid;
        sender = m.sender();
        mailParameters = p;
        checks = t;
        return SENDER_OK;
    }

    /** The address is the user's own, or is delivered to the user's account (alias, +tag). */
    private boolean owns(String user, Mailbox address) {
        if ((address.local() + "@" + address.domain()).equalsIgnoreCase(user)) {
            return true;
        }
        return services.directory().route(address) instanceof Directory.Route.Local l
                && l.accounts().stream().anyMatch(a -> a.equalsIgnoreCase(user));
    }

    private Reply rcpt(Command.Rcpt r) {
        if (sender == null) {
            return NEED_MAIL;
        }
        if (!esmtp && !r.parameters().equals(RcptParameters.NONE)) {
            return ESMTP_PARAMETERS_AFTER_HELO;
        }
        if (recipients.size() >= settings.limits().recipients()) {
            return TOO_MANY_RECIPIENTS; // RFC 5321 §4.5.3.1.8: 452, the client sends the rest later
        }
        if (!services.disk().hasRoomFor(mailParameters.size().orElse(0))) {
            return NO_STORAGE; // the disk filled up since MAIL
        }
        Mailbox rcpt = r.postmaster() ? settings.postmaster() : r.recipient();
        if (rcpt.isInternational() && !mailParameters.smtputf8()) {
            return NOT_UTF8;
        }
        Directory.Route route = services.directory().route(rcpt);
        Reply reply = switch (route) {
            case Directory.Route.Local l -> null;
            case Directory.Route.Unknown u -> {
                Reply harvest = services.rates().unknownRecipient(id, client.getAddress());
                yield harvest != null ? harvest : NO_SUCH_USER;
            }
            case Directory.Route.Remote rm ->
                    services.relay().mayRelay(client.getAddress(), authUser) ? null : RELAY_DENIED;
        };
        if (reply == null) {
            // Greylisting first: a refused attempt is retried later and must not count against the rates twice.
            reply = screen.atRcpt(authUser, sender, rcpt); // greylisting: never for a recipient already accepted
        }
        if (reply == null) {
            reply = services.rates().atRcpt(id, client.getAddress(), authUser, sender);
        }
        if (reply != null) {
            return reply;
        }
        // The route goes with the recipient (direct and queued delivery follow the same decision), and NOTIFY
        // as honoured: success and delay reports for a foreign sender need a trusted client (Recipient.honoured).
        Route carried = route instanceof Directory.Route.Local l ? Route.local(l.accounts(), l.forwards())
                : new Route.Remote();
        boolean trusted = services.relay().mayRelay(client.getAddress(), authUser)
                || sender.map(s -> services.directory().isLocalDomain(s.domain())).orElse(true);
        Reply refused = checks.atRcpt(rcpt);
        if (refused != null) {
            return refused;
        }
        recipients.add(new Recipient(rcpt, Recipient.honoured(r.parameters().notifyOn(), trusted),
                r.parameters().orcpt(), carried));
        return Reply.of(250, 2, 1, 5, "Recipient OK");
    }

    private Reply data() throws IOException {
        Reply check = readyForContent();
        if (check != null) {
            return check;
        }
        send(START_DATA);
        Reception r = startMessage();
        try {
            dataMode = true;
            r.readData(in);
            dataMode = false;
            return finishMessage(r);
        } finally {
            dataMode = false;
            resetTransaction();
        }
    }

    private Reply bdat(Command.Bdat b) throws IOException {
        if (message == null) {
            Reply check = readyForContent();
            if (check != null) {
                in.readChunk(b.size(), OutputStream.nullOutputStream()); // RFC 3030: the chunk is read anyway
                return check;
            }
            startMessage();
        }
        dataMode = true;
        boolean fits;
        try {
            fits = message.readChunk(in, b.size());
        } finally {
            dataMode = false;
        }
        if (!fits) {
            finished = message;
            resetTransaction();
            return TOO_BIG;
        }
        if (!b.last()) {
            return Reply.of(250, 2, 0, 0, b.size() + " octets received");
        }
        try {
            return finishMessage(message);
        } finally {
            resetTransaction();
        }
    }

    /** The checks DATA and the first BDAT share: a sender and at least one accepted recipient, and the checks' say. */
    private Reply readyForContent() {
        if (sender == null) {
            return NEED_MAIL_FOR_DATA;
        }
        if (recipients.isEmpty()) {
            return NO_RECIPIENTS;
        }
        return checks.atData();
    }

    private Reception startMessage() {
        abortChunks(); // never two buffers at once
        MailParameters p = mailParameters;
        Envelope envelope = new Envelope(queueId, sender, recipients, p.body(),
                p.smtputf8(), p.ret(), p.envid(), services.clock().instant(), authUser,
                client.getAddress().getHostAddress(),
                p.requireTls() ? TlsRequirement.REQUIRED : TlsRequirement.POLICY); // a header may say No: Reception
        boolean submission = authUser != null || settings.role() != Role.SMTP;
        Reception.Origin origin = new Reception.Origin(id, client, helo,
                Trace.protocol(p.smtputf8(), esmtp, tls != null, authUser != null), tls, authUser,
                submission || services.relay().mayRelay(client.getAddress(), null), submission);
        message = new Reception(settings, services, origin, envelope, checks);
        return message;
    }

    private Reply finishMessage(Reception r) throws IOException {
        finished = r;
        Reply reply = r.finish();
        if (reply.isPositive()) {
            messages++;
            meters.received(r.envelope().recipients().size());
        }
        return reply;
    }

    private Reply vrfy(String argument) {
        if (!settings.options().vrfy()) {
            return CANNOT_VRFY;
        }
        try {
            Mailbox m = AddressParser.parseMailbox(argument.replaceFirst("^<(.*)>$", "$1"));
            return services.directory().route(m) instanceof Directory.Route.Local
                    ? Reply.of(250, 2, 1, 5, "<" + m + ">") : NO_SUCH_USER;
        } catch (AddressParser.SyntaxError e) {
            return BAD_ADDRESS;
        }
    }

    private Reply starttls() throws IOException {
        if (services.tls() == null) {
            return NO_STARTTLS;
        }
        if (tls != null) {
            return TLS_ACTIVE;
        }
        if (sender != null) {
            return STARTTLS_IN_TRANSACTION;
        }
        send(READY_FOR_TLS);
        flush();
        startTls();
        // RFC 3207 §4.2: forget everything learned before TLS; the client starts again with EHLO.
        helo = null;
        esmtp = false;
        resetTransaction();
        return null;
    }

    /** Handshakes over the current socket and replaces the streams; buffered plaintext is dropped. */
    private void startTls() throws IOException {
        // The whole handshake is bounded by the command timeout (the stress one under stress).
        SSLSocket ssl = services.tls().wrap(socket, java.time.Duration.ofMillis(deadlines.handshakeMillis()), watchdog);
        attach(ssl);
        tls = TlsInfo.of(ssl);
        meters.tls(tls.protocol());
        LOG.info("session={} event=tls protocol={} cipher={}", id, tls.protocol(), tls.cipherSuite());
    }

    private Reply auth(Command.Auth a) throws IOException {
        Reply reply = authVerb.run(a, new AuthVerb.State(tls != null, esmtp, sender != null, client, addr()),
                new SaslDialogue.Lines() {
                    public void send(Reply r) throws IOException {
                        SmtpSession.this.send(r);
                    }

                    public SmtpInput.Line read(int max) throws IOException {
                        return in.readLine(max);
                    }
                });
        authUser = authVerb.user();
        return reply;
    }

    /** Every refusal of a step of the mail transaction, and every 421 that ends the session, is logged. */
    private void logRefusal(Command command, Reply reply) {
        if (reply.code() == 421 || !reply.isPositive() && LOGGED_REFUSALS.contains(command.verb())) {
            MailLog.refused(id, client, command, reply, authUser, reversePath(), finished, settings.postmaster());
            meters.rejected(command.verb().name(), status(reply));
        }
    }

    /** The enhanced code of a refusal, else its basic code: a tag value from a small set. */
    private static String status(Reply reply) {
        return reply.status() == null ? Integer.toString(reply.code()) : reply.status().toString();
    }

    private String reversePath() {
        return sender == null ? null : sender.map(s -> "<" + s + ">").orElse("<>");
    }

    private void resetTransaction() {
        if (checks != null) {
            checks.abort(); // nothing after the end of a message
        }
        sender = null;
        mailParameters = null;
        recipients.clear();
        checks = null;
        abortChunks();
    }

    /** Drops the message being received, if any (BDAT chunks so far, or an unfinished DATA). */
    private void abortChunks() {
        if (message != null) {
            message.discard();
            message = null;
        }
    }

    private String addr() {
        return MailLog.address(client);
    }

    /** Asks the session to end: idle sessions get 421 at once, busy ones after their current command. */
    public void shutdown() {
        shuttingDown = true;
        if (awaitingCommand && output.sendNowIfIdle(SHUTDOWN)) {
            closeQuietly();
        }
    }

    private void send(Reply reply) throws IOException {
        output.send(reply);
    }

    private void trySend(Reply reply) {
        output.sendLast(reply);
    }

    private void flush() throws IOException {
        output.flush();
    }

    /** True when its waiting read has outlived what stress allows (a read that began before stress did). */
    @Override
    public boolean overdue(long now) {
        return deadlines.overdue(now);
    }

    /** Ends an overdue session: 421 when the reply can go out, then the socket is closed under the read. */
    @Override
    public void cut() {
        cutOff = true;
        LOG.info("session={} event=timeout stress=true", id);
        output.sendNowIfIdle(TIMEOUT);
        closeQuietly();
    }

    /** Ends the session at once (shutdown grace is over): its socket is closed under it. */
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
