package org.postwerk.smtp.server;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;
import org.postwerk.account.Directory;
import org.postwerk.auth.AuthResults;
import org.postwerk.config.Role;
import org.postwerk.io.SpillBuffer;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Intake;
import org.postwerk.queue.QueueIds;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Command;
import org.postwerk.smtp.CommandParser;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.MailParameters;
import org.postwerk.smtp.RcptParameters;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.SmtpInput;
import org.postwerk.smtp.Verb;
import org.postwerk.tls.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP server session (RFC 5321) on one connection, run by one virtual thread: a read loop, a switch over
 * the parsed command, one method per verb returning the reply. Transaction state lives in fields reset by
 * {@link #resetTransaction()}. Replies are buffered and flushed right before the session blocks for input,
 * which is what makes PIPELINING (RFC 2920) work without special cases.
 */
public final class SmtpSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final Logger MAIL_LOG = LoggerFactory.getLogger("postwerk.mail");
    private static final QueueIds IDS = new QueueIds("");

    static final Reply OK = Reply.of(250, 2, 0, 0, "OK");
    static final Reply NEED_HELO = Reply.of(503, 5, 5, 1, "Send EHLO/HELO first");
    static final Reply NEED_MAIL = Reply.of(503, 5, 5, 1, "Need MAIL before RCPT");
    static final Reply NESTED_MAIL = Reply.of(503, 5, 5, 1, "Sender already specified");
    static final Reply NO_RECIPIENTS = Reply.of(554, 5, 5, 1, "No valid recipients");
    static final Reply NEED_AUTH = Reply.of(530, 5, 7, 0, "Authentication required");
    static final Reply RELAY_DENIED = Reply.of(550, 5, 7, 1, "Relaying denied");
    static final Reply NO_SUCH_USER = Reply.of(550, 5, 1, 1, "No such user here");
    static final Reply TOO_MANY_RECIPIENTS = Reply.of(452, 4, 5, 3, "Too many recipients");
    static final Reply TOO_BIG = Reply.of(552, 5, 3, 4, "Message size exceeds fixed maximum message size");
    static final Reply BARE_LINE_END = Reply.of(550, 5, 5, 2,
            "Message contains a bare CR or LF; lines must end with CRLF");
    static final Reply LINE_TOO_LONG = Reply.of(550, 5, 5, 2, "Message contains a line that is too long");
    /** RFC 5321 §6.3: a message with this many Received fields is in a loop (Postfix uses 50 too). */
    static final int MAX_HOPS = 50;
    static final Reply TOO_MANY_HOPS = Reply.of(554, 5, 4, 6, "Too many hops: mail loop?");
    static final Reply LOCAL_ERROR = Reply.of(451, 4, 3, 0, "Local error in processing, try again later");
    static final Reply NOT_UTF8 = Reply.of(553, 5, 6, 7, "Non-ASCII address needs SMTPUTF8");
    static final Reply TIMEOUT = Reply.of(421, 4, 4, 2, "Timeout exceeded, closing connection");
    static final Reply SHUTDOWN = Reply.of(421, 4, 3, 2, "Service shutting down, closing connection");
    static final Reply TOO_MANY_ERRORS = Reply.of(421, 4, 7, 0, "Too many errors, closing connection");
    static final Reply LINE_TOO_LONG_COMMAND = Reply.of(500, 5, 5, 2, "Line too long");
    static final Reply BARE_LF_COMMAND = Reply.of(500, 5, 5, 2, "Bare LF not allowed; end lines with CRLF");
    static final Reply BAD_UTF8 = Reply.of(500, 5, 5, 2, "Invalid characters in command");
    static final Reply ESMTP_PARAMETERS_AFTER_HELO = Reply.of(555, 5, 5, 4, "ESMTP parameters need EHLO");

    /** A load balancer sends its header at once; a client that does not is not one. */
    private static final long PROXY_HEADER_TIMEOUT_MS = 10_000;
    private static final long DEADLINE_GRACE_MS = 1_000;

    private final SessionSettings settings;
    private final SessionServices services;
    private final ConnectionLimiter limiter;
    private final ScheduledExecutorService watchdog;
    private final String id;
    private final ReentrantLock writeLock = new ReentrantLock();

    private Socket socket;
    private SmtpInput in;
    private OutputStream out;
    private InetSocketAddress client;
    private long sessionDeadline;
    private long lineDeadline;
    private boolean dataMode;
    private volatile boolean awaitingCommand;
    private volatile boolean shuttingDown;

    private String helo;
    private boolean esmtp;
    private TlsInfo tls;
    private String authUser;
    private int errors;
    private int authFailures;
    private int messages;

    // The mail transaction (RFC 5321 §3.3); null sender field means no MAIL yet.
    private Optional<Mailbox> sender;
    private MailParameters mailParameters;
    private final List<Recipient> recipients = new ArrayList<>();
    private InboundChecks.Transaction checks;
    private Chunks chunks;

    public SmtpSession(Socket socket, SessionSettings settings, SessionServices services,
                       ConnectionLimiter limiter, ScheduledExecutorService watchdog, String id) {
        this.socket = socket;
        this.settings = settings;
        this.services = services;
        this.limiter = limiter;
        this.watchdog = watchdog;
        this.id = id;
    }

    public String id() {
        return id;
    }

    @Override
    public void run() {
        client = (InetSocketAddress) socket.getRemoteSocketAddress();
        String refused = null;
        boolean entered = false;
        // The deadline holds even where reads cannot enforce it (a TLS record or handshake trickled in byte by
        // byte restarts the socket timeout on every byte): a moment after it, the socket is simply closed.
        // (Where reads can enforce it, the client gets its 421 first.)
        ScheduledFuture<?> deadline = watchdog.schedule(this::closeQuietly,
                settings.timeouts().session().toMillis() + DEADLINE_GRACE_MS, TimeUnit.MILLISECONDS);
        try {
            sessionDeadline = System.nanoTime() + settings.timeouts().session().toNanos();
            if (settings.listener().proxyProtocol()) {
                client = readProxyHeader();
            }
            attach(socket);
            startLineDeadline();
            refused = limiter.tryEnter(client.getAddress());
            entered = refused == null;
            LOG.info("session={} event=connect client={} listener={}", id, addr(), settings.role());
            if (refused != null) {
                send(Reply.of(421, 4, 7, 0, refused));
                return;
            }
            if (settings.role() == Role.SUBMISSIONS) {
                startTls();
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
            if (!shuttingDown) {
                LOG.info("session={} event=io-error reason=\"{}\"", id, e.toString());
            }
        } finally {
            deadline.cancel(false);
            abortChunks();
            try {
                flush(); // QUIT's 221, a final 421
            } catch (IOException e) {
                // the client is gone already
            }
            if (entered) {
                limiter.exit(client.getAddress());
            }
            closeQuietly();
            LOG.info("session={} event=disconnect messages={} errors={}", id, messages, errors);
        }
    }

    /**
     * The PROXY header, from a trusted peer only and within a short deadline; anyone else could claim an
     * address in the relay networks.
     */
    private InetSocketAddress readProxyHeader() throws IOException {
        InetSocketAddress peer = client;
        if (settings.listener().proxyTrusted().stream().noneMatch(n -> n.contains(peer.getAddress()))) {
            throw new ProxyProtocol.BadHeader("PROXY header from untrusted peer " + peer.getAddress().getHostAddress());
        }
        socket.setSoTimeout((int) Math.min(PROXY_HEADER_TIMEOUT_MS, settings.timeouts().command().toMillis()));
        return ProxyProtocol.read(socket.getInputStream(), peer);
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        in = new SmtpInput(s.getInputStream(), 8192, this::beforeRead);
        out = new BufferedOutputStream(s.getOutputStream(), 4096);
    }

    /** Flushes pending replies and bounds the coming read by the line (or data block) and session deadlines. */
    private void beforeRead() throws IOException {
        flush();
        long now = System.nanoTime();
        if (dataMode) {
            lineDeadline = now + settings.timeouts().dataBlock().toNanos();
        }
        long left = Math.min(lineDeadline, sessionDeadline) - now;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
    }

    private void startLineDeadline() {
        lineDeadline = System.nanoTime() + settings.timeouts().command().toNanos();
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
            if (line == null) {
                return;
            }
            Command command = switch (line.status()) {
                case TOO_LONG -> new Command.Invalid(Verb.UNKNOWN, LINE_TOO_LONG_COMMAND);
                case BARE_LF -> new Command.Invalid(Verb.UNKNOWN, BARE_LF_COMMAND);
                case OK -> parse(line);
            };
            Reply reply = handle(command);
            if (reply != null) {
                send(reply);
            }
            if (command instanceof Command.Quit) {
                return;
            }
            if (reply != null && reply.isPermanent() && ++errors >= settings.limits().errors()) {
                send(TOO_MANY_ERRORS);
                LOG.info("session={} event=too-many-errors", id);
                return;
            }
            if (reply != null && reply.code() == 421) {
                return;
            }
        }
    }

    private static Command parse(SmtpInput.Line line) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line.bytes(), 0, line.length())).toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    return new Command.Invalid(Verb.UNKNOWN, BAD_UTF8); // CR, NUL and other controls
                }
            }
            return CommandParser.parse(text);
        } catch (CharacterCodingException e) {
            return new Command.Invalid(Verb.UNKNOWN, BAD_UTF8);
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
        if (chunks != null && command.verb().has(Verb.Flag.NOT_DURING_CHUNKS)) {
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
            case Command.Quit q -> Reply.of(221, 2, 0, 0, settings.hostname() + " closing connection");
            case Command.Vrfy v -> vrfy(v.argument());
            case Command.Expn e -> Reply.of(502, 5, 5, 1, "EXPN not available");
            case Command.Help h -> Reply.of(214, 2, 0, 0,
                    "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH; see RFC 5321");
            case Command.StartTls s -> starttls();
            case Command.Auth a -> auth(a);
            case Command.Invalid i -> i.reply();
        };
    }

    private Reply helo(String name, boolean extended) {
        resetTransaction();
        helo = name;
        esmtp = extended;
        LOG.info("session={} event={} name=\"{}\"", id, extended ? "ehlo" : "helo", Sanitize.text(name, 80));
        if (!extended) {
            return Reply.plain(250, List.of(settings.hostname()));
        }
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname() + " greets " + Sanitize.text(name, 64));
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.limits().messageSize());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("CHUNKING");
        lines.add("DSN");
        if (services.tls() != null && tls == null) {
            lines.add("STARTTLS");
        }
        if (offersAuth()) {
            lines.add("AUTH " + String.join(" ", services.authentication().mechanisms()));
        }
        return Reply.plain(250, lines);
    }

    /** AUTH is offered only inside TLS (RFC 8314 §3, our policy) and only once per session. */
    private boolean offersAuth() {
        return services.authentication() != null && tls != null && authUser == null;
    }

    private Reply mail(Command.Mail m) {
        if (sender != null) {
            return NESTED_MAIL;
        }
        if (settings.role() != Role.SMTP && authUser == null) {
            return NEED_AUTH;
        }
        MailParameters p = m.parameters();
        if (!esmtp && !p.equals(MailParameters.NONE)) {
            return ESMTP_PARAMETERS_AFTER_HELO;
        }
        if (p.body() == BodyType.BINARY_MIME) {
            return Reply.of(555, 5, 5, 4, "BINARYMIME not supported");
        }
        if (p.size().isPresent() && p.size().getAsLong() > settings.limits().messageSize()) {
            return TOO_BIG;
        }
        if (m.sender().isPresent() && m.sender().get().isInternational() && !p.smtputf8()) {
            return NOT_UTF8;
        }
        if (authUser != null && m.sender().isPresent() && settings.options().senderLoginMatch()
                && !owns(authUser, m.sender().get())) {
            MAIL_LOG.info("rejected session={} client={} auth={} from={} reply=\"sender not owned\"", id, addr(),
                    Sanitize.log(authUser), Sanitize.log("<" + m.sender().get() + ">"));
            return Reply.of(553, 5, 7, 1, "Sender address not owned by the authenticated user");
        }
        InboundChecks.Transaction t = services.checks().begin(
                new InboundChecks.Client(client.getAddress(), helo, authUser, settings.role()), m.sender());
        Reply rejected = t.atMail();
        if (rejected != null) {
            MAIL_LOG.info("rejected session={} client={} from={} reply=\"{}\"", id, addr(),
                    Sanitize.log(m.sender().map(x -> "<" + x + ">").orElse("<>")), rejected);
            return rejected;
        }
        sender = m.sender();
        mailParameters = p;
        checks = t;
        return Reply.of(250, 2, 1, 0, "Sender OK");
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
        Mailbox rcpt = r.postmaster() ? settings.postmaster() : r.recipient();
        if (rcpt.isInternational() && !mailParameters.smtputf8()) {
            return NOT_UTF8;
        }
        Directory.Route route = services.directory().route(rcpt);
        Reply reply = switch (route) {
            case Directory.Route.Local l -> null;
            case Directory.Route.Unknown u -> NO_SUCH_USER;
            case Directory.Route.Remote rm ->
                    services.relay().mayRelay(client.getAddress(), authUser) ? null : RELAY_DENIED;
        };
        if (reply != null) {
            MAIL_LOG.info("rejected session={} client={} from={} to={} reply=\"{}\"", id, addr(),
                    reversePath(), Sanitize.log("<" + rcpt + ">"), reply);
            return reply;
        }
        recipients.add(new Recipient(rcpt, r.parameters().notifyOn(), r.parameters().orcpt()));
        return Reply.of(250, 2, 1, 5, "Recipient OK");
    }

    private Reply data() throws IOException {
        Reply check = readyForContent();
        if (check != null) {
            return check;
        }
        send(Reply.plain(354, List.of("End data with <CR><LF>.<CR><LF>")));
        Chunks c = startMessage();
        try {
            dataMode = true;
            in.readData(c.writer());
            dataMode = false;
            return finishMessage(c);
        } finally {
            dataMode = false;
            resetTransaction();
        }
    }

    /** The checks DATA and the first BDAT share: a sender and at least one accepted recipient. */
    private Reply readyForContent() {
        if (sender == null) {
            return Reply.of(503, 5, 5, 1, "Need MAIL command");
        }
        if (recipients.isEmpty()) {
            return NO_RECIPIENTS;
        }
        return null;
    }

    private Envelope envelope() {
        MailParameters p = mailParameters;
        return new Envelope(IDS.next(services.clock().millis()), sender, recipients, p.body(), p.smtputf8(), p.ret(), p.envid(),
                services.clock().instant(), authUser, client.getAddress().getHostAddress());
    }

    /** The content is received into a spill buffer through the writer that checks and edits it. */
    private Chunks startMessage() {
        abortChunks(); // never two buffers at once
        Envelope envelope = envelope();
        SpillBuffer buffer = new SpillBuffer(services.spillDir(), services.spillThreshold());
        boolean submission = authUser != null || settings.role() != Role.SMTP;
        MessageWriter writer = new MessageWriter(buffer, checks.content(), settings.limits().messageSize(),
                settings.limits().textLine(), mailParameters.body() != BodyType.BINARY_MIME, new MessageWriter.Edits() {
                    public boolean drop(String name, String value) {
                        // RFC 5321 §4.4: Return-Path is final delivery's; RFC 8601 §5: no forged results of ours.
                        // A field too long to hold is judged by name alone (value ""): a huge A-R goes too.
                        return name.equals("return-path") || name.equals("authentication-results")
                                && (value.isEmpty() || AuthResults.claimsAuthservId(value, settings.hostname()));
                    }

                    public byte[] additions(java.util.Set<String> seen) {
                        return submission ? Trace.submissionFields(seen, settings.hostname(), services.clock())
                                : new byte[0];
                    }
                });
        chunks = new Chunks(envelope, buffer, writer);
        return chunks;
    }

    /** Checks, then writes trace + result headers + content into a durable draft, and commits. */
    private Reply finishMessage(Chunks c) throws IOException {
        Envelope envelope = c.envelope();
        MessageWriter writer = c.writer();
        writer.finish();
        Reply problem = switch (writer.problem()) {
            case NONE -> writer.receivedCount() > MAX_HOPS ? TOO_MANY_HOPS : null;
            case TOO_BIG -> TOO_BIG;
            case BARE_LINE_END -> BARE_LINE_END;
            case LINE_TOO_LONG -> LINE_TOO_LONG;
        };
        String headers = "";
        String folder = null;
        if (problem == null) {
            switch (checks.atEnd()) {
                case InboundChecks.Verdict.Reject r -> problem = r.reply();
                case InboundChecks.Verdict.Accept a -> {
                    headers = a.headers();
                    folder = a.folder();
                }
            }
        }
        if (problem != null) {
            MAIL_LOG.info("rejected session={} id={} client={} from={} size={} reply=\"{}\"", id, envelope.id(),
                    addr(), envelope.reversePath(), writer.size(), problem);
            return problem;
        }
        if (isOwnUser()) {
            headers += services.signer().sign(envelope, c.buffer()); // after our own Message-ID/Date
        } else {
            String forwarding = forwardingDomain(envelope);
            if (forwarding != null) {
                headers = checks.sealForForwarding(c.buffer(), forwarding) + headers;
            }
        }
        try (Intake.Draft draft = folder == null ? services.intake().open(envelope)
                : services.intake().open(envelope, folder)) {
            OutputStream out = draft.out();
            out.write(Trace.received(envelope, helo, client.getAddress(), settings.hostname(), protocol(), tls)
                    .getBytes(StandardCharsets.UTF_8));
            out.write(headers.getBytes(StandardCharsets.UTF_8));
            c.buffer().writeTo(out);
            draft.commit();
        } catch (IOException e) {
            LOG.error("session={} id={} event=store-failed reason=\"{}\"", id, envelope.id(), e.toString());
            return LOCAL_ERROR;
        }
        messages++;
        MAIL_LOG.info("received session={} id={} client={} helo=\"{}\" tls={} auth={} from={} to={} size={}",
                id, envelope.id(), addr(), Sanitize.text(helo, 80), tls == null ? "none" : tls.protocol(),
                Sanitize.log(authUser), Sanitize.log(envelope.reversePath()), recipientList(envelope),
                writer.size());
        return Reply.of(250, 2, 0, 0, "OK queued as " + envelope.id());
    }

    private static String recipientList(Envelope envelope) {
        StringBuilder sb = new StringBuilder();
        for (Recipient r : envelope.recipients()) {
            sb.append(sb.isEmpty() ? "" : ",").append(Sanitize.log("<" + r.address() + ">"));
        }
        return sb.toString();
    }

    /** A message being received (DATA, or BDAT chunks across commands, RFC 3030). */
    private record Chunks(Envelope envelope, SpillBuffer buffer, MessageWriter writer) {}

    private Reply bdat(Command.Bdat b) throws IOException {
        if (chunks == null) {
            Reply check = readyForContent();
            if (check != null) {
                in.readChunk(b.size(), OutputStream.nullOutputStream()); // RFC 3030: the chunk is read anyway
                return check;
            }
            startMessage();
        }
        dataMode = true;
        try {
            in.readChunk(b.size(), chunks.writer());
        } finally {
            dataMode = false;
        }
        if (chunks.writer().problem() == MessageWriter.Problem.TOO_BIG) {
            resetTransaction();
            return TOO_BIG;
        }
        if (!b.last()) {
            return Reply.of(250, 2, 0, 0, b.size() + " octets received");
        }
        try {
            return finishMessage(chunks);
        } finally {
            resetTransaction();
        }
    }

    private Reply vrfy(String argument) {
        if (!settings.options().vrfy()) {
            // RFC 5321 §3.5.3: 252 when we will not say whether a user exists.
            return Reply.of(252, 2, 5, 0, "Cannot VRFY user, but will accept message and attempt delivery");
        }
        String a = argument.startsWith("<") && argument.endsWith(">")
                ? argument.substring(1, argument.length() - 1) : argument;
        try {
            Mailbox m = org.postwerk.smtp.AddressParser.parseMailbox(a);
            if (services.directory().route(m) instanceof Directory.Route.Local) {
                return Reply.of(250, 2, 1, 5, "<" + m + ">");
            }
            return Reply.of(550, 5, 1, 1, "No such user here");
        } catch (org.postwerk.smtp.AddressParser.SyntaxError e) {
            return Reply.of(501, 5, 1, 3, "Bad address syntax");
        }
    }

    private Reply starttls() throws IOException {
        if (services.tls() == null) {
            return Reply.of(502, 5, 5, 1, "STARTTLS not available");
        }
        if (tls != null) {
            return Reply.of(503, 5, 5, 1, "TLS already active");
        }
        if (sender != null) {
            return Reply.of(503, 5, 5, 1, "STARTTLS not allowed during a mail transaction");
        }
        send(Reply.of(220, 2, 0, 0, "Ready to start TLS"));
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
        socket.setSoTimeout((int) settings.timeouts().command().toMillis());
        // The whole handshake, not just each read, is bounded by the command timeout.
        ScheduledFuture<?> handshakeDeadline = watchdog.schedule(this::closeQuietly,
                settings.timeouts().command().toMillis(), TimeUnit.MILLISECONDS);
        SSLSocket ssl;
        try {
            ssl = services.tls().wrap(socket);
        } finally {
            handshakeDeadline.cancel(false);
        }
        attach(ssl);
        tls = TlsInfo.of(ssl);
        LOG.info("session={} event=tls protocol={} cipher={}", id, tls.protocol(), tls.cipherSuite());
    }

    private Reply auth(Command.Auth a) throws IOException {
        if (services.authentication() == null) {
            return Reply.of(502, 5, 5, 1, "AUTH not available");
        }
        if (tls == null) {
            return Reply.of(538, 5, 7, 11, "Encryption required for requested authentication mechanism");
        }
        if (limiter.authBlocked(client.getAddress())) {
            LOG.info("session={} event=auth-blocked client={}", id, addr());
            return Reply.of(454, 4, 7, 0, "Too many failed logins from your address, try again later");
        }
        if (authUser != null) {
            return Reply.of(503, 5, 5, 1, "Already authenticated");
        }
        if (!esmtp) {
            return Reply.of(503, 5, 5, 1, "AUTH needs EHLO"); // RFC 4954 §4: an ESMTP extension
        }
        if (sender != null) {
            return Reply.of(503, 5, 5, 1, "AUTH not allowed during a mail transaction");
        }
        Authentication.Exchange exchange = services.authentication().begin(a.mechanism(), client.getAddress());
        if (exchange == null) {
            return Reply.of(504, 5, 5, 4, "Unrecognized authentication mechanism");
        }
        SaslDialogue.Lines lines = new SaslDialogue.Lines() {
            public void send(Reply reply) throws IOException {
                SmtpSession.this.send(reply);
            }

            public SmtpInput.Line read(int max) throws IOException {
                return in.readLine(max);
            }
        };
        return switch (SaslDialogue.run(exchange, a.initialResponse(), lines)) {
            case SaslDialogue.Outcome.Authenticated ok -> {
                authUser = ok.user();
                LOG.info("session={} event=auth mechanism={} user={}", id, a.mechanism(), Sanitize.log(ok.user()));
                yield Reply.of(235, 2, 7, 0, "Authentication successful");
            }
            case SaslDialogue.Outcome.Failed f -> authFailed(a.mechanism(), f.reason());
            case SaslDialogue.Outcome.Aborted ab -> ab.reply();
            case SaslDialogue.Outcome.Busy b -> {
                LOG.info("session={} event=auth-busy client={} reason={}", id, addr(), Sanitize.log(b.reason()));
                yield SaslDialogue.BUSY;
            }
        };
    }

    private Reply authFailed(String mechanism, String reason) {
        authFailures++;
        limiter.authFailed(client.getAddress());
        LOG.info("session={} event=auth-failed mechanism={} client={} reason={}", id, mechanism, addr(),
                Sanitize.log(reason));
        try {
            Thread.sleep(settings.limits().authFailureDelay()); // slows password guessing; costs us a parked virtual thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (authFailures >= settings.limits().authFailures()) {
            return Reply.of(421, 4, 7, 0, "Too many authentication failures, closing connection");
        }
        return Reply.of(535, 5, 7, 8, "Authentication credentials invalid");
    }

    /** The local domain of the first recipient that forwards elsewhere (an alias to another domain), or null. */
    private String forwardingDomain(Envelope envelope) {
        for (Recipient r : envelope.recipients()) {
            if (services.directory().route(r.address()) instanceof Directory.Route.Local l && !l.forwards().isEmpty()) {
                return r.address().domainKey();
            }
        }
        return null;
    }

    /** Mail of our own users: logged in, on a submission port, or from a trusted (relay) network. */
    private boolean isOwnUser() {
        return authUser != null || settings.role() != Role.SMTP || services.relay().mayRelay(client.getAddress(), null);
    }

    private String protocol() {
        // RFC 3848 / RFC 6531 §3.7.3 "with" protocol types.
        String base = mailParameters != null && mailParameters.smtputf8() ? "UTF8SMTP" : esmtp ? "ESMTP" : "SMTP";
        if (base.equals("SMTP")) {
            return "SMTP";
        }
        return base + (tls != null ? "S" : "") + (authUser != null ? "A" : "");
    }

    private String reversePath() {
        return sender == null ? "-" : Sanitize.log(sender.map(s -> "<" + s + ">").orElse("<>"));
    }

    private void resetTransaction() {
        sender = null;
        mailParameters = null;
        recipients.clear();
        checks = null;
        abortChunks();
    }

    private void abortChunks() {
        if (chunks != null) {
            chunks.buffer().close();
            chunks = null;
        }
    }

    private String addr() {
        return client == null ? "?" : client.getAddress().getHostAddress() + ":" + client.getPort();
    }

    /** Asks the session to end: idle sessions get 421 at once, busy ones after their current command. */
    public void shutdown() {
        shuttingDown = true;
        if (awaitingCommand && writeLock.tryLock()) {
            try {
                out.write(SHUTDOWN.wireBytes());
                out.flush();
            } catch (IOException e) {
                // the client is gone already
            } finally {
                writeLock.unlock();
            }
            closeQuietly();
        }
    }

    private void send(Reply reply) throws IOException {
        writeLock.lock();
        try {
            out.write(reply.wireBytes());
        } finally {
            writeLock.unlock();
        }
    }

    private void trySend(Reply reply) {
        try {
            send(reply);
            flush();
        } catch (IOException e) {
            // the client is gone already
        }
    }

    private void flush() throws IOException {
        if (out == null) {
            return; // refused before the streams were set up (a bad PROXY header)
        }
        writeLock.lock();
        try {
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Ends the session at once (shutdown grace is over): its socket is closed under it. */
    void abort() {
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
