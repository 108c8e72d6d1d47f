package org.postwerk.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.postwerk.tls.ClientTls;

/**
 * The connection under a test client of a line protocol (IMAP, POP3): a loopback socket, upgraded to TLS on
 * demand, lines in and out. The protocol clients add their commands and response rules on top.
 */
public class LineConnection implements AutoCloseable {
    private final String tlsHost;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** @param tlsHost the name the client asks for in TLS (SNI), which the test certificate covers */
    protected LineConnection(int port, String tlsHost) throws IOException {
        this.tlsHost = tlsHost;
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Starts TLS on the connection (right away for implicit TLS, after STARTTLS/STLS otherwise). */
    public void upgrade(ClientTls tls) throws IOException {
        SSLSocket s = tls.wrap(socket, tlsHost, Duration.ofSeconds(10));
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    /** One line as received, without its LF (a CR before it is kept); null at the end of the stream. */
    protected String readRawLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    protected byte[] readBytes(int n) throws IOException {
        return in.readNBytes(n);
    }

    public void send(String line) throws IOException {
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
