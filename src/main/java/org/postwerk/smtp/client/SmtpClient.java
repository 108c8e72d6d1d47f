package org.postwerk.smtp.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.postwerk.smtp.Reply;
import org.postwerk.tls.ClientTls;

/**
 * One blocking SMTP client connection. The caller decides policy (TLS required? message too big?) from
 * {@link #capabilities()}; this class speaks the protocol: EHLO with HELO fallback, STARTTLS (RFC 3207), AUTH
 * PLAIN/LOGIN (RFC 4954), transactions pipelined when offered (RFC 2920), BDAT when CHUNKING is offered
 * (RFC 3030), DSN parameters when DSN is offered (RFC 3461). Every read has the RFC 5321 §4.5.3.2 timeout.
 */
public final class SmtpClient implements AutoCloseable {
    private static final int CHUNK = 1024 * 1024;

    private final String peerName;
    private final InetSocketAddress address;
    private final ClientSettings settings;
    private Socket socket;
    private ReplyReader reader;
    private OutputStream out;
    private Capabilities caps = Capabilities.NONE;
    private boolean broken; // a read failed or timed out: the dialogue is out of step, QUIT is pointless
    private String tlsProtocol;
    private final Reply greeting;

    private SmtpClient(Socket socket, String peerName, InetSocketAddress address, ClientSettings settings)
            throws IOException {
        this.peerName = peerName;
        this.address = address;
        this.settings = settings;
        attach(socket);
        this.greeting = read(settings.timeouts().greeting());
    }

    /** Connects, reads the greeting (check {@link #greeting()}: a 4xx/5xx greeting means try another host). */
    public static SmtpClient connect(InetSocketAddress address, String peerName, ClientSettings settings)
            throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) settings.timeouts().connect().toMillis());
            return new SmtpClient(s, peerName, address, settings);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Connects with implicit TLS (RFC 8314, port 465) and reads the greeting. */
    public static SmtpClient connectTls(InetSocketAddress address, String peerName, ClientSettings settings,
                                        ClientTls tls) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) settings.timeouts().connect().toMillis());
            SSLSocket ssl = tls.wrap(s, peerName, settings.timeouts().greeting());
            SmtpClient c = new SmtpClient(ssl, peerName, address, settings);
            c.tlsProtocol = ssl.getSession().getProtocol();
            return c;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void attach(Socket s) throws IOException {
        this.socket = s;
        this.reader = new ReplyReader(new BufferedInputStream(s.getInputStream(), 8192));
        this.out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    }

    public Reply greeting() {
        return greeting;
    }

    public Capabilities capabilities() {
        return caps;
    }

    /** The negotiated TLS version ({@code TLSv1.3}), if the connection is encrypted. */
    public Optional<String> tlsProtocol() {
        return Optional.ofNullable(tlsProtocol);
    }

    /** {@code mx.example.net [192.0.2.1]}: for logs and the DSN Remote-MTA field. */
    public String peer() {
        return peerName + " [" + address.getAddress().getHostAddress() + "]";
    }

    /** EHLO, falling back to HELO when the server rejects EHLO (RFC 5321 §3.2). */
    public Reply hello() throws IOException {
        Reply r = command("EHLO " + settings.heloName(), settings.timeouts().command());
        if (r.isPositive()) {
            caps = Capabilities.parse(r);
            return r;
        }
        caps = Capabilities.NONE;
        return command("HELO " + settings.heloName(), settings.timeouts().command());
    }

    /** STARTTLS (RFC 3207); on 220 the handshake follows and EHLO is sent again (§4.2: forget what we knew). */
    public Reply startTls(ClientTls tls) throws IOException {
        Reply r = command("STARTTLS", settings.timeouts().command());
        if (r.code() != 220) {
            return r;
        }
        SSLSocket ssl = tls.wrap(socket, peerName, settings.timeouts().command());
        attach(ssl);
        tlsProtocol = ssl.getSession().getProtocol();
        return hello();
    }

    /** AUTH PLAIN or LOGIN, whichever is offered (PLAIN preferred). Only over TLS: the caller checks. */
    public Reply authenticate(String user, String password) throws IOException {
        Duration t = settings.timeouts().command();
        Base64.Encoder b64 = Base64.getEncoder();
        if (caps.authMechanisms().contains("PLAIN") || !caps.authMechanisms().contains("LOGIN")) {
            String token = "\0" + user + "\0" + password;
            return command("AUTH PLAIN " + b64.encodeToString(token.getBytes(StandardCharsets.UTF_8)), t);
        }
        Reply r = command("AUTH LOGIN", t);
        if (r.code() == 334) {
            r = command(b64.encodeToString(user.getBytes(StandardCharsets.UTF_8)), t);
        }
        if (r.code() == 334) {
            r = command(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)), t);
        }
        return r;
    }

    /** One mail transaction; pipelined when the peer offers PIPELINING. */
    public TransactionReplies send(MailRequest req, Path message) throws IOException {
        Commands cmds = new Commands(caps, req);
        boolean chunking = caps.has("CHUNKING");
        boolean pipelining = caps.has("PIPELINING");
        Duration t = settings.timeouts().command();
        List<Reply> rcpts = new ArrayList<>();
        Reply mail;
        Reply dataGo = null;
        if (pipelining) {
            // RFC 2920 §3.1: MAIL, RCPTs and DATA go in one group; DATA is the last command of it.
            write(cmds.mail());
            cmds.rcpts().forEach(this::writeUnchecked);
            if (!chunking) {
                write("DATA");
            }
            out.flush();
            mail = read(t);
            for (int i = 0; i < req.recipients().size(); i++) {
                rcpts.add(read(t));
            }
            if (!chunking) {
                dataGo = read(settings.timeouts().dataInit());
            }
        } else {
            mail = command(cmds.mail(), t);
            if (!mail.isPositive()) {
                return new TransactionReplies(mail, req.recipients().stream().map(r -> mail).toList(), null);
            }
            for (String rcpt : cmds.rcpts()) {
                rcpts.add(command(rcpt, t));
            }
        }
        boolean anyAccepted = mail.isPositive() && rcpts.stream().anyMatch(Reply::isPositive);
        if (!anyAccepted) {
            if (dataGo != null && dataGo.code() == 354) {
                command(".", settings.timeouts().dataEnd()); // RFC 2920 §3.1: end the DATA we had to send
            }
            return new TransactionReplies(mail, rcpts, null);
        }
        Reply data = chunking ? sendChunks(message) : sendAfterData(dataGo, message);
        return new TransactionReplies(mail, rcpts, data);
    }

    private Reply sendAfterData(Reply dataGo, Path message) throws IOException {
        Reply go = dataGo != null ? dataGo : command("DATA", settings.timeouts().dataInit());
        if (go.code() != 354) {
            return go;
        }
        return sendData(message);
    }

    private Reply sendData(Path message) throws IOException {
        socket.setSoTimeout((int) settings.timeouts().dataBlock().toMillis());
        try (InputStream in = Files.newInputStream(message)) {
            DotStuffing.copy(in, out);
        }
        out.flush();
        return read(settings.timeouts().dataEnd());
    }

    /** RFC 3030 §2: BDAT chunks, the last one marked LAST; each chunk's reply is read before the next. */
    private Reply sendChunks(Path message) throws IOException {
        long size = Files.size(message);
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(size, 1))];
        try (InputStream in = Files.newInputStream(message)) {
            long left = size;
            do {
                int n = (int) Math.min(buf.length, left);
                int got = in.readNBytes(buf, 0, n);
                left -= got;
                write("BDAT " + got + (left == 0 ? " LAST" : ""));
                out.write(buf, 0, got);
                out.flush();
                Reply r = read(left == 0 ? settings.timeouts().dataEnd() : settings.timeouts().dataBlock());
                if (!r.isPositive() || left == 0) {
                    return r;
                }
            } while (true);
        }
    }

    /** RSET, to reuse the connection for the next message. */
    public Reply reset() throws IOException {
        return command("RSET", settings.timeouts().command());
    }

    /** QUIT and close; never fails. */
    @Override
    public void close() {
        try {
            if (broken) {
                throw new IOException("no QUIT on a broken connection");
            }
            socket.setSoTimeout(5000);
            write("QUIT");
            out.flush();
            reader.read();
        } catch (IOException | RuntimeException ignored) {
            // the peer may be gone already; closing is all that matters
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    public boolean isOpen() {
        return !broken && !socket.isClosed();
    }

    private Reply command(String line, Duration timeout) throws IOException {
        write(line);
        out.flush();
        return read(timeout);
    }

    private void write(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private void writeUnchecked(String line) {
        try {
            write(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Reply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            return reader.read();
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }
}
