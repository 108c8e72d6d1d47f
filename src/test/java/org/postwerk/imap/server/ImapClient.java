package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postwerk.testkit.LineConnection;
import org.postwerk.tls.ClientTls;

/**
 * A small IMAP client for transcript tests: sends lines, reads responses (literals included) until the tagged
 * one, and checks them against expectations (regex).
 */
final class ImapClient extends LineConnection {
    private static final Pattern LITERAL = Pattern.compile("[~]?\\{(\\d+)\\}$");
    private int tag;

    ImapClient(int port) throws IOException {
        super(port, "imap.example.org");
    }

    static ImapClient implicitTls(int port, ClientTls tls) throws IOException {
        ImapClient c = new ImapClient(port);
        c.upgrade(tls);
        return c;
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
            byte[] b = readBytes(n);
            sb.append("\r\n").append(new String(b, StandardCharsets.UTF_8));
        }
    }

    private String readLine() throws IOException {
        String s = readRawLine();
        if (s == null) {
            throw new IOException("connection closed");
        }
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
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
}
