package org.postwerk.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postwerk.tls.ClientTls;

/**
 * The client end of one training connection: lines out, SMTP replies, IMAP responses (literals skipped) and POP3
 * answers in, and STARTTLS. Every read has a timeout, so a training run that goes wrong ends with an error
 * instead of hanging a start. TLS accepts any certificate: the only peer is this process's own server, on
 * loopback, with the self-signed certificate it just made.
 */
final class Wire implements Closeable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private Wire(Socket socket) throws IOException {
        use(socket);
    }

    static Wire connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            return new Wire(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A connection that starts with a TLS handshake (submissions, imaps, pop3s, web: RFC 8314). */
    static Wire connectTls(InetSocketAddress address) throws IOException {
        Wire w = connect(address);
        try {
            w.startTls();
            return w;
        } catch (IOException e) {
            w.close();
            throw e;
        }
    }

    /** An HTTP/1.1 GET of {@code path}; the status must be 200. The body is read and dropped. */
    static void get(InetSocketAddress address, boolean tls, String path) throws IOException {
        try (Wire w = tls ? connectTls(address) : connect(address)) {
            w.sendBytes(("GET " + path + " HTTP/1.1\r\nHost: autoconfig.train.test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = w.line();
            if (!status.matches("HTTP/1\\.[01] 200 .*")) {
                throw new IOException("GET " + path + ": " + status);
            }
            w.in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** The server's end of an accepted connection (the sink's). */
    static Wire over(Socket accepted) throws IOException {
        accepted.setSoTimeout((int) TIMEOUT.toMillis());
        return new Wire(accepted);
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = new BufferedOutputStream(s.getOutputStream());
    }

    /** Completes the TLS handshake after the server's go-ahead to STARTTLS / STLS. */
    void startTls() throws IOException {
        use(ClientTls.opportunistic().wrap(socket, "localhost", TIMEOUT));
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendBytes(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    /** One line without its CRLF. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed by the server");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads one SMTP reply (all its lines); its code must be {@code code}. */
    String reply(int code) throws IOException {
        String l;
        do {
            l = line();
        } while (l.length() > 3 && l.charAt(3) == '-');
        if (!l.startsWith(Integer.toString(code))) {
            throw new IOException("expected " + code + ", got: " + l);
        }
        return l;
    }

    String smtp(String command, int code) throws IOException {
        send(command);
        return reply(code);
    }

    /**
     * Sends {@code tag command} and reads to its tagged answer, which must be OK; returns the untagged lines,
     * their literals skipped.
     */
    List<String> imap(String tag, String command) throws IOException {
        send(tag + " " + command);
        return imapDone(tag, command);
    }

    /** Reads to the tagged answer of a command already sent. */
    List<String> imapDone(String tag, String command) throws IOException {
        List<String> untagged = new ArrayList<>();
        while (true) {
            String l = line();
            Matcher m;
            while ((m = LITERAL.matcher(l)).find()) {
                in.skipNBytes(Long.parseLong(m.group(1)));
                l = line();
            }
            if (l.startsWith(tag + " ")) {
                if (!l.startsWith(tag + " OK")) {
                    throw new IOException(command + ": " + l);
                }
                return untagged;
            }
            untagged.add(l);
        }
    }

    /** Reads one line, which must start with {@code prefix} (a greeting, a continuation request). */
    String expect(String prefix) throws IOException {
        String l = line();
        if (!l.startsWith(prefix)) {
            throw new IOException("expected " + prefix + "..., got: " + l);
        }
        return l;
    }

    /** Sends a POP3 command; its answer must be +OK; a multi-line answer is read to its ".". */
    void pop(String command, boolean multiLine) throws IOException {
        send(command);
        String l = line();
        if (!l.startsWith("+OK")) {
            throw new IOException(command + ": " + l);
        }
        while (multiLine && !line().equals(".")) {
            // the listing or the message: not checked here
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
