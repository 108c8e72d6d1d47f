package org.postwerk.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A stand-in HTTPS server on 127.0.0.1 (ephemeral port) that answers every request with one scripted
 * response, e.g. an MTA-STS policy, a redirect or a wrong media type. Records the Host headers it saw.
 */
public final class TestHttpsServer implements AutoCloseable {
    /**
     * The response: status, Content-Type (null: none), body, a Location header (null: none), and whether the
     * body goes chunked (no Content-Length).
     */
    public record Response(int status, String type, String body, String location, boolean chunked) {
        public static Response policy(String text) {
            return new Response(200, "text/plain", text, null, false);
        }
    }

    private final HttpsServer server;
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    public volatile Response response = new Response(404, "text/plain", "not found\n", null, false);

    public TestHttpsServer(SSLContext tls) {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The Host headers of the requests so far (one per request). */
    public List<String> hosts() {
        return List.copyOf(hosts);
    }

    private void answer(HttpExchange x) throws IOException {
        try (x) {
            hosts.add(x.getRequestHeaders().getFirst("Host") + " " + x.getRequestURI().getPath());
            Response r = response;
            byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
            if (r.type() != null) {
                x.getResponseHeaders().set("Content-Type", r.type());
            }
            if (r.location() != null) {
                x.getResponseHeaders().set("Location", r.location());
            }
            x.sendResponseHeaders(r.status(), r.chunked() ? 0 : body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
