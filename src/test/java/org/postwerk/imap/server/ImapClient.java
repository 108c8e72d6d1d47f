package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.postwerk.tls.ClientTls;

/**
 * A small IMAP client for transcript tests: sends lines, reads responses (literals included) until the tagged
 * one, and checks them against expectations (regex).
 */
final class ImapClient implements AutoCloseable {
    private static final Pattern LITERAL = Pattern.compile("[~]?\\{(\\d+)\\}$");
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tag;

    ImapClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static ImapClient implicitTls(int port, ClientTls tls) throws IOException {
        ImapClient c = new ImapClient(port);
        c.upgrade(tls);
        return c;
    }

    void upgrade(ClientTls tls) throws IOException {
        SSLSocket s = tls.wrap(socket, "imap.example.org", java.time.Duration.ofSeconds(10));
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** One response line with its literals inlined (as text). */
    String readResponse() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            String line = readLine();
            sb.append(line);
            Matcher m = LITERAL.matcher(line);
            if (!m.find()) {
                return sb.toString();
            }
            int n = Integer.parseInt(m.group(1));
            byte[] b = in.readNBytes(n);
            sb.append("\r\n").append(new String(b, StandardCharsets.UTF_8));
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Sends a command with a fresh tag; returns all responses, the tagged one last. */
    List<String> command(String command) throws IOException {
        String t = "a" + (++tag);
        send(t + " " + command);
        return until(t);
    }

    List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String r = readResponse();
            lines.add(r);
            if (r.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** The command's responses, asserting the tagged one matches {@code tagged} (a regex after the tag). */
    List<String> ok(String command) throws IOException {
        List<String> r = command(command);
        assertThat(r.get(r.size() - 1)).as(command + " -> " + r).matches("a\\d+ OK.*");
        return r;
    }

    String lastTag() {
        return "a" + tag;
    }

    String nextTag() {
        return "a" + (++tag);
    }

    void login() throws IOException {
        ok("LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
