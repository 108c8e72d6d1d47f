package org.postwerk.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
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
 * An IMAP client for tests outside the server's package (end-to-end, kill -9): implicit TLS, one command at a
 * time, every response read with its literals inlined as text, the tagged one last.
 */
public final class ImapScript implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("~?\\{(\\d+)\\}$");
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    private ImapScript(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects with implicit TLS (any certificate) and reads the greeting. */
    public static ImapScript imaps(InetSocketAddress address, Duration timeout) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(address, (int) timeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
            ImapScript s = new ImapScript(ClientTls.opportunistic().wrap(plain, "localhost", timeout));
            String greeting = s.response();
            if (!greeting.startsWith("* OK")) {
                throw new IOException("greeting: " + greeting);
            }
            return s;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Sends a command with a fresh tag; returns its responses, the tagged one last. */
    public List<String> command(String command) throws IOException {
        String t = "t" + (++tag);
        send(t + " " + command);
        return until(t);
    }

    /** Sends a command whose last argument is {@code literal}, as a non-synchronizing literal (LITERAL+). */
    public List<String> command(String command, byte[] literal) throws IOException {
        String t = "t" + (++tag);
        out.write((t + " " + command + " {" + literal.length + "+}\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(literal);
        send("");
        return until(t);
    }

    /** Like {@link #command(String)}, but a tagged response other than OK throws IllegalStateException. */
    public List<String> ok(String command) throws IOException {
        return ok(command(command));
    }

    /** The responses of a command, checked: a tagged response other than OK throws IllegalStateException. */
    public List<String> ok(List<String> responses) {
        if (!responses.getLast().startsWith("t" + tag + " OK")) {
            throw new IllegalStateException("not OK: " + responses);
        }
        return responses;
    }

    public void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String r = response();
            lines.add(r);
            if (r.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** One response, its literals inlined. */
    public String response() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = line();
            sb.append(line);
            Matcher m = LITERAL.matcher(line);
            if (!m.find()) {
                return sb.toString();
            }
            byte[] b = in.readNBytes(Integer.parseInt(m.group(1)));
            sb.append("\r\n").append(new String(b, StandardCharsets.UTF_8));
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0) {
            throw new IOException("connection closed");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
