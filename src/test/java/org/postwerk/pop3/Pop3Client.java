package org.postwerk.pop3;

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
import javax.net.ssl.SSLSocket;
import org.postwerk.tls.ClientTls;

/** A small POP3 client for transcript tests: one line out, a status line or a whole multi-line response back. */
final class Pop3Client implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Pop3Client(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static Pop3Client implicitTls(int port, ClientTls tls) throws IOException {
        Pop3Client c = new Pop3Client(port);
        c.upgrade(tls);
        return c;
    }

    void upgrade(ClientTls tls) throws IOException {
        SSLSocket s = tls.wrap(socket, "pop.example.org", java.time.Duration.ofSeconds(10));
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** One line without its CRLF; null at the end of the stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        String s = b.toString(StandardCharsets.UTF_8);
        assertThat(s).as("every line ends in CRLF").endsWith("\r");
        return s.substring(0, s.length() - 1);
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
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

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
