package org.postwerk.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' HTTP listener: {@code GET /metrics} (Prometheus text format 0.0.4), {@code GET /health}
 * (readiness: 200 when every {@link Health} check passes, else 503, JSON either way) and {@code GET /health/live}
 * (liveness: 200). Only GET and HEAD, no request body, at most {@value #IN_FLIGHT} requests handled at once
 * (more get 503 at once: a scraper retries, and a flood cannot make the server render metrics without end).
 * The JDK server runs each exchange on a virtual thread; its request head size and request and response times
 * are bounded by {@link #boundJdkServer}.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    static final int IN_FLIGHT = 8;
    /** Bounds of the JDK's HTTP server (seconds, bytes); see {@link #boundJdkServer}. */
    static final String REQUEST_SECONDS = "10";
    static final String RESPONSE_SECONDS = "30";
    static final String HEAD_BYTES = "8192";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final InetSocketAddress bind;
    private final PrometheusMeterRegistry registry;
    private final Health health;
    private final Semaphore permits = new Semaphore(IN_FLIGHT);
    private HttpServer server;
    private ExecutorService executor;

    public OpsServer(InetSocketAddress bind, PrometheusMeterRegistry registry, Health health) {
        this.bind = bind;
        this.registry = registry;
        this.health = health;
    }

    /** A registry for the whole server, with the JVM's own meters (memory, GC, threads, CPU, uptime) bound. */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        return registry;
    }

    /**
     * The JDK's HTTP server reads its limits once, from system properties, when the first server of the
     * process is made; unset, a client may take forever to send its request head (one slow client per
     * connection, without end) and the head may be 380 KiB. Set here, before that first server, unless the
     * operator set them with {@code -D}: they hold for every JDK HTTP server in the process.
     */
    public static void boundJdkServer() {
        defaultProperty("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
        defaultProperty("sun.net.httpserver.maxRspTime", RESPONSE_SECONDS);
        defaultProperty("sun.net.httpserver.maxReqHeaderSize", HEAD_BYTES);
        defaultProperty("sun.net.httpserver.maxReqHeaders", "64");
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    public void start() throws IOException {
        boundJdkServer();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(bind, 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("listening role=OPS address={}", address());
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!permits.tryAcquire()) {
                send(exchange, 503, "text/plain; charset=utf-8", "busy\n");
                return;
            }
            try {
                route(exchange);
            } finally {
                permits.release();
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
            return;
        }
        // RFC 9110 §9.3.1: a GET body has no meaning here; refusing it means it is never read.
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if ((length != null && !length.equals("0")) || exchange.getRequestHeaders().containsKey("Transfer-Encoding")) {
            send(exchange, 400, "text/plain; charset=utf-8", "no request body\n");
            return;
        }
        switch (exchange.getRequestURI().getPath()) {
            case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, registry.scrape());
            case "/health" -> {
                Health.Report r = health.report();
                send(exchange, r.ready() ? 200 : 503, "application/json", r.json());
            }
            case "/health/live" -> send(exchange, 200, "application/json", "{\"status\":\"alive\"}\n");
            default -> send(exchange, 404, "text/plain; charset=utf-8", "not found: /metrics, /health\n");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops at once: scrapes in progress are cut (a scraper tries again). */
    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
