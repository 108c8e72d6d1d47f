package org.postwerk.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scriptable SMTP sink on 127.0.0.1 (ephemeral port) for client and delivery tests: choose the greeting, the
 * extensions, the replies to MAIL/RCPT/end of data, STARTTLS, dropping or stalling. Records every command and
 * every message it accepted.
 */
public final class SinkServer implements AutoCloseable {
    /** One accepted message: the MAIL and RCPT lines as sent, the unstuffed content, whether TLS was on. */
    public record Message(String mail, List<String> rcpts, byte[] content, boolean tls) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    public volatile String greeting = "220 sink.test ESMTP";
    public volatile List<String> extensions = List.of("PIPELINING", "SIZE 10000000", "8BITMIME", "SMTPUTF8", "DSN");
    public volatile boolean ehloRejected;
    public volatile SSLContext tls;
    /** TLS from the first byte (RFC 8314 implicit TLS, port 465 style) with this context. */
    public volatile SSLContext implicitTls;
    /** Offers STARTTLS but answers the handshake with garbage (a broken middlebox or server). */
    public volatile boolean brokenTls;
    public volatile String mailReply = "250 2.1.0 ok";
    public volatile Function<String, String> rcptReply = a -> "250 2.1.5 ok";
    public volatile String dataReply = "250 2.0.0 queued";
    /** A pause before answering the end of data: keeps deliveries in flight (crash tests). */
    public volatile java.time.Duration dataDelay = java.time.Duration.ZERO;
    /** A command word (upper-case) after which the connection is dropped without a reply. */
    public volatile String dropAt;
    /** A command word (upper-case) at which the sink stalls (never answers). */
    public volatile String stallAt;

    public SinkServer() throws IOException {
        this(InetAddress.getLoopbackAddress(), 0);
    }

    /** A sink on a given loopback address and port (e.g. a second MX on 127.0.0.2 with the same port). */
    public SinkServer(InetAddress address, int port) throws IOException {
        server = new ServerSocket(port, 50, address);
        Thread.ofVirtual().name("sink-accept").start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), port());
    }

    public List<Message> messages() {
        return List.copyOf(messages);
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            new Session(s).run();
        } catch (IOException | RuntimeException e) {
            // the client went away or we dropped it: both are normal here
        }
    }

    private final class Session {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private boolean tlsOn;
        private String mail;
        private final List<String> rcpts = new ArrayList<>();
        private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

        Session(Socket s) throws IOException {
            if (implicitTls != null) {
                SSLSocket ssl = (SSLSocket) implicitTls.getSocketFactory().createSocket(s, null, s.getPort(), false);
                ssl.setUseClientMode(false);
                ssl.startHandshake();
                attach(ssl);
                tlsOn = true;
            } else {
                attach(s);
            }
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        void run() throws IOException {
            send(greeting);
            if (!greeting.startsWith("2")) {
                line();
                return;
            }
            String line;
            while ((line = line()) != null) {
                commands.add(line);
                String verb = (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
                if (verb.equals(dropAt)) {
                    return;
                }
                if (verb.equals(stallAt)) {
                    stall(socket);
                    return;
                }
                if (!handle(verb, line)) {
                    return;
                }
            }
        }

        private boolean handle(String verb, String line) throws IOException {
            switch (verb) {
                case "EHLO" -> ehlo();
                case "HELO" -> send("250 sink.test");
                case "STARTTLS" -> startTls();
                case "AUTH" -> auth(line);
                case "MAIL" -> {
                    mail = line;
                    send(mailReply);
                }
                case "RCPT" -> rcpt(line);
                case "DATA" -> data();
                case "BDAT" -> bdat(line);
                case "RSET" -> {
                    reset();
                    send("250 2.0.0 ok");
                }
                case "QUIT" -> {
                    send("221 2.0.0 bye");
                    return false;
                }
                default -> send("500 5.5.2 unknown");
            }
            return true;
        }

        private void ehlo() throws IOException {
            if (ehloRejected) {
                send("502 5.5.2 no EHLO here");
                return;
            }
            List<String> ext = new ArrayList<>(extensions);
            if ((tls != null || brokenTls) && !tlsOn) {
                ext.add("STARTTLS");
            }
            StringBuilder sb = new StringBuilder("250");
            sb.append(ext.isEmpty() ? " " : "-").append("sink.test\r\n");
            for (int i = 0; i < ext.size(); i++) {
                sb.append("250").append(i == ext.size() - 1 ? " " : "-").append(ext.get(i)).append("\r\n");
            }
            out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private void startTls() throws IOException {
            send("220 2.0.0 go ahead");
            if (brokenTls) {
                out.write("this is not TLS at all\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                throw new IOException("broken TLS (test)");
            }
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), false);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            attach(ssl);
            tlsOn = true;
            reset();
        }

        /** AUTH PLAIN with an initial response, or the AUTH LOGIN exchange; any credentials are accepted. */
        private void auth(String line) throws IOException {
            if (line.toUpperCase(Locale.ROOT).startsWith("AUTH LOGIN")) {
                send("334 VXNlcm5hbWU6");
                commands.add("user " + line());
                send("334 UGFzc3dvcmQ6");
                commands.add("password " + line());
            }
            send("235 2.7.0 ok");
        }

        private void rcpt(String line) throws IOException {
            int lt = line.indexOf('<');
            String addr = line.substring(lt + 1, line.indexOf('>', lt));
            String r = rcptReply.apply(addr);
            if (r.startsWith("2")) {
                rcpts.add(line);
            }
            send(r);
        }

        private void data() throws IOException {
            if (mail == null || rcpts.isEmpty()) {
                send("554 5.5.1 no valid recipients");
                return;
            }
            send("354 go ahead");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String l;
            while (!(l = rawLine()).equals(".\r\n")) {
                body.writeBytes((l.startsWith(".") ? l.substring(1) : l).getBytes(StandardCharsets.ISO_8859_1));
            }
            finish(body.toByteArray());
        }

        private void bdat(String line) throws IOException {
            String[] p = line.split(" ");
            chunks.writeBytes(in.readNBytes(Integer.parseInt(p[1])));
            if (p.length > 2 && p[2].equalsIgnoreCase("LAST")) {
                finish(chunks.toByteArray());
            } else {
                send("250 2.0.0 chunk ok");
            }
        }

        private void finish(byte[] content) throws IOException {
            try {
                Thread.sleep(dataDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (dataReply.startsWith("2")) {
                messages.add(new Message(mail, List.copyOf(rcpts), content, tlsOn));
            }
            reset();
            send(dataReply);
        }

        private void reset() {
            mail = null;
            rcpts.clear();
            chunks.reset();
        }

        private String line() throws IOException {
            String l = rawLine();
            return l == null ? null : l.stripTrailing();
        }

        /** One line with its CRLF, bytes as ISO-8859-1 chars so content survives unchanged. */
        private String rawLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                sb.append((char) c);
                if (c == '\n') {
                    return sb.toString();
                }
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        private void send(String reply) throws IOException {
            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** Holds the connection open, silent, until the client or {@link #close()} closes it. */
    private static void stall(Socket s) throws IOException {
        s.getInputStream().transferTo(OutputStream.nullOutputStream());
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
