package org.postwerk.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postwerk.testkit.PrometheusText;

/** The operators' listener over a real socket, spoken to in raw HTTP/1.1 so every limit can be reached. */
class OpsServerTest {
    private final AtomicBoolean journal = new AtomicBoolean(true);
    private final AtomicBoolean queue = new AtomicBoolean(true);
    private PrometheusMeterRegistry registry;
    private OpsServer server;

    @BeforeEach
    void start() throws IOException {
        registry = OpsServer.newRegistry();
        server = new OpsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), registry,
                new Health(List.of(new Health.Check("journal", journal::get), new Health.Check("queue", queue::get),
                        new Health.Check("broken", () -> {
                            if (!queue.get()) {
                                throw new IllegalStateException("cannot tell");
                            }
                            return true;
                        }))));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void metricsAreValidPrometheusTextWithTheJvmAndOurMeters() throws IOException {
        Counter.builder("postwerk.test.things").tag("kind", "a\"b").register(registry).increment(3);

        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 ").contains("Content-type: text/plain; version=0.0.4");
        PrometheusText metrics = PrometheusText.parse(body(response));
        assertThat(metrics.value("postwerk_test_things_total", Map.of("kind", "a\"b"))).contains(3.0);
        assertThat(metrics.type("jvm_memory_used_bytes")).contains("gauge");
    }

    @Test
    void healthIsReadyOnlyWhenEveryCheckPasses() throws IOException {
        String ready = exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(ready).startsWith("HTTP/1.1 200 ");
        assertThat(body(ready)).isEqualTo("{\"checks\":{\"journal\":true,\"queue\":true,\"broken\":true},"
                + "\"status\":\"ready\"}\n");

        journal.set(false);
        String notReady = exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(notReady).startsWith("HTTP/1.1 503 ");
        assertThat(body(notReady)).contains("\"journal\":false", "\"status\":\"not ready\"");

        journal.set(true);
        queue.set(false); // and the third check throws: counted as failed, not as an error page
        assertThat(body(exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")))
                .contains("\"queue\":false", "\"broken\":false");
        assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
    }

    @Test
    void onlyGetAndHeadWithoutBody() throws IOException {
        String post = exchange("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertThat(post).startsWith("HTTP/1.1 405 ").contains("Allow: GET, HEAD");
        assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd"))
                .startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close"
                + "\r\n\r\n0\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /secret HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 404 ");
        String head = exchange("HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 200 ");
        assertThat(body(head)).isEmpty();
    }

    @Test
    void anOversizedRequestHeadIsRefused() throws IOException {
        String big = "X-Filler: " + "a".repeat(16 * 1024) + "\r\n";

        String response = exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n" + big + "Connection: close\r\n\r\n");

        assertThat(response).doesNotStartWith("HTTP/1.1 200 "); // 431, or the connection closed unanswered
    }

    @Test
    void aRequestThatNeverEndsIsCutOff() throws IOException {
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();

            byte[] rest = s.getInputStream().readAllBytes(); // returns when the server closes

            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertThat(new String(rest, StandardCharsets.US_ASCII)).doesNotContain("200 OK");
            assertThat(seconds).as("cut after the request time limit (2 s in tests)").isLessThan(10);
        }
    }

    private String exchange(String request) throws IOException {
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (IOException e) {
                // a reset after the server refused: what arrived is the answer
            }
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
