package org.postwerk.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.testkit.LineConnection;
import org.postwerk.tls.ClientTls;

/** A small POP3 client for transcript tests: one line out, a status line or a whole multi-line response back. */
final class Pop3Client extends LineConnection {
    Pop3Client(int port) throws IOException {
        super(port, "pop.example.org");
    }

    static Pop3Client implicitTls(int port, ClientTls tls) throws IOException {
        Pop3Client c = new Pop3Client(port);
        c.upgrade(tls);
        return c;
    }

    /** One line without its CRLF; null at the end of the stream. */
    String readLine() throws IOException {
        String s = readRawLine();
        if (s == null) {
            return null;
        }
        assertThat(s).as("every line ends in CRLF").endsWith("\r");
        return s.substring(0, s.length() - 1);
    }

    /** Sends a command, returns its status line. */
    String command(String line) throws IOException {
        send(line);
        return readLine();
    }

    /** Sends a command that answers +OK with a multi-line body; returns status then the lines, dots as sent. */
    List<String> multi(String line) throws IOException {
        send(line);
        return readMulti();
    }

    List<String> readMulti() throws IOException {
        List<String> lines = new ArrayList<>();
        String status = readLine();
        lines.add(status);
        assertThat(status).as(lines.toString()).startsWith("+OK");
        String l;
        while (!(l = readLine()).equals(".")) {
            lines.add(l);
        }
        return lines;
    }

    void login() throws IOException {
        assertThat(command("USER " + Pop3TestServer.USER)).startsWith("+OK");
        assertThat(command("PASS " + Pop3TestServer.PASSWORD)).startsWith("+OK");
    }
}
