package org.postwerk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A scripted SMTP client for transcript tests over a real socket:
 * {@code s.send("RCPT TO:<a@example.org>").expect("503 5\\.5\\.1 .*");}. {@link #expect} matches a regex
 * against the last line of the next reply (whole line), {@link #reply()} returns all lines, and
 * {@link #expectLine} checks one reply line at a time, so that a transcript checks every line of a multi-line
 * reply ({@link #atReplyEnd()} says whether the last line read ended a reply).
 */
public final class SmtpScript implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private boolean midReply;

    private SmtpScript(Socket socket) throws IOException {
        attach(socket);
    }

    public static SmtpScript connect(InetSocketAddress address) throws IOException {
        return connect(address, null);
    }

    /** Connects from the given local address (any of 127.0.0.0/8 works on loopback), or any when null. */
    public static SmtpScript connect(InetSocketAddress address, java.net.InetAddress from) throws IOException {
        Socket s = new Socket();
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(address, 5000);
        s.setSoTimeout(15000);
        return new SmtpScript(s);
    }

    /** Continues over another socket (e.g. after STARTTLS). */
    public void attach(Socket s) throws IOException {
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    public Socket socket() {
        return socket;
    }

    /** Sends a line; CRLF is appended. */
    public SmtpScript send(String line) throws IOException {
        return raw(line + "\r\n");
    }

    /** Sends text exactly as given (use \r and \n explicitly). */
    public SmtpScript raw(String text) throws IOException {
        return raw(text.getBytes(StandardCharsets.UTF_8));
    }

    public SmtpScript raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one reply and checks its last line against {@code regex}. */
    public SmtpScript expect(String regex) throws IOException {
        List<String> lines = reply();
        assertThat(lines.get(lines.size() - 1)).as("reply %s", lines).matches(Pattern.compile(regex, Pattern.DOTALL));
        return this;
    }

    /**
     * Reads the next reply line and checks it whole against {@code regex}, including the separator after the
     * code ({@code "250-"} for a line that more lines follow, {@code "250 "} for the last).
     */
    public SmtpScript expectLine(String regex) throws IOException {
        String line = readLine();
        if (line == null) {
            throw new IOException("connection closed; expected a line matching " + regex);
        }
        midReply = line.length() >= 4 && line.charAt(3) == '-';
        assertThat(line).matches(Pattern.compile(regex, Pattern.DOTALL));
        return this;
    }

    /** True unless the last line read by {@link #expectLine} said that more lines of its reply follow. */
    public boolean atReplyEnd() {
        return !midReply;
    }

    /** Reads one (possibly multi-line) reply. */
    public List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new IOException("connection closed; reply so far: " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
