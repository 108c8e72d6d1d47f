package org.postwerk.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.postwerk.acme.Http01Answers;
import org.postwerk.config.Role;
import org.postwerk.config.WebConfig;
import org.postwerk.log.Sanitize;
import org.postwerk.sts.PublishedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One public web listener ({@code web}: HTTPS, {@code http}: plain) on the JDK's HTTP server (ADR 0013), each
 * exchange on its own virtual thread. It routes the client auto-configuration paths, the MTA-STS policy and the
 * ACME HTTP-01 answers; everything else is 404.
 * Limits: the request and response deadlines ({@code [web] timeout}), connections per listener, header count
 * and size (JVM-wide properties, set before the first server starts), and the body size, checked here.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Role role;
    private final long maxBody;
    private final Map<String, Function<Request, Answer>> routes;
    private final Http01Answers acme;

    /**
     * @param tls the server's TLS context and parameters (null for {@code http})
     */
    public WebServer(Role role, InetSocketAddress bind, WebConfig config, MailEndpoints endpoints, SSLContext tls,
                     SSLParameters parameters) throws IOException {
        this(role, bind, config, endpoints, null, tls, parameters);
    }

    /**
     * @param sts the MTA-STS policy served for each local domain (null: none)
     * @param tls the server's TLS context and parameters (null for {@code http})
     */
    public WebServer(Role role, InetSocketAddress bind, WebConfig config, MailEndpoints endpoints,
                     PublishedPolicy sts, SSLContext tls, SSLParameters parameters) throws IOException {
        this(role, bind, config, new Content(endpoints, sts, new Http01Answers()), tls, parameters);
    }

    /**
     * What the listeners serve besides fixed pages: the client endpoints, the MTA-STS policy (null: none) and
     * the pending ACME HTTP-01 answers.
     */
    public record Content(MailEndpoints endpoints, PublishedPolicy sts, Http01Answers acme) {}

    /** @param tls the server's TLS context and parameters (null for {@code http}) */
    public WebServer(Role role, InetSocketAddress bind, WebConfig config, Content content, SSLContext tls,
                     SSLParameters parameters) throws IOException {
        limits(config);
        MailEndpoints endpoints = content.endpoints();
        PublishedPolicy sts = content.sts();
        this.acme = content.acme();
        this.role = role;
        this.maxBody = config.requestSize();
        Autoconfig autoconfig = new Autoconfig(endpoints);
        Autodiscover autodiscover = new Autodiscover(endpoints);
        MobileConfig apple = new MobileConfig(endpoints);
        routes = Map.of(
                "/.well-known/autoconfig/mail/config-v1.1.xml", autoconfig::answer,
                "/mail/config-v1.1.xml", autoconfig::answer,
                "/autodiscover/autodiscover.xml", autodiscover::pox,
                "/autodiscover/autodiscover.json", autodiscover::json,
                "/apple/mail.mobileconfig", apple::answer,
                "/.well-known/mta-sts.txt", r -> mtaSts(r, endpoints, sts));
        if (role == Role.WEB) {
            HttpsServer https = HttpsServer.create(bind, 256);
            https.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters p) {
                    p.setSSLParameters(parameters); // TLS 1.3/1.2 and the suites of the mail listeners
                }
            });
            server = https;
        } else {
            server = HttpServer.create(bind, 256);
        }
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    /**
     * The JDK server reads its limits from system properties once, when its classes load: set them before the
     * first server is made. Seconds for the deadlines (at least one).
     */
    private static void limits(WebConfig config) {
        String seconds = Long.toString(Math.max(1, (config.timeout().toMillis() + 999) / 1000));
        System.setProperty("sun.net.httpserver.maxReqTime", seconds);
        System.setProperty("sun.net.httpserver.maxRspTime", seconds);
        System.setProperty("sun.net.httpserver.idleInterval", seconds);
        System.setProperty("sun.net.httpserver.maxReqHeaders", "100");
        System.setProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(16 * 1024));
        System.setProperty("jdk.httpserver.maxConnections", Integer.toString(config.connections()));
    }

    public void start() {
        server.start();
        LOG.info("listening role={} address={}", role, address());
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public Role role() {
        return role;
    }

    private void exchange(HttpExchange x) throws IOException {
        try (x) {
            Answer a;
            try {
                a = answer(x);
            } catch (RuntimeException e) {
                LOG.warn("event=web-error path=\"{}\" reason=\"{}\"", Sanitize.text(x.getRequestURI().getRawPath(), 100),
                        e.toString());
                a = Answer.error(500, "Internal error");
            }
            x.getResponseHeaders().set("Content-Type", a.type());
            x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            x.getResponseHeaders().set("Cache-Control", "no-store");
            boolean head = x.getRequestMethod().equals("HEAD");
            x.sendResponseHeaders(a.status(), head ? -1 : a.body().length == 0 ? -1 : a.body().length);
            if (!head && a.body().length > 0) {
                try (OutputStream out = x.getResponseBody()) {
                    out.write(a.body());
                }
            }
            // The User-Agent says which client set itself up (Thunderbird, Outlook) when a user reports trouble.
            String agent = x.getRequestHeaders().getFirst("User-Agent");
            LOG.info("event=web client={} method={} path=\"{}\" status={} agent={}", x.getRemoteAddress()
                    .getAddress().getHostAddress(), Sanitize.text(x.getRequestMethod(), 10),
                    Sanitize.text(x.getRequestURI().getRawPath(), 100), a.status(), Sanitize.log(agent));
        }
    }

    /** RFC 8555 §8.3: where the CA fetches an HTTP-01 answer; followed by the token (base64url). */
    static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

    private Answer answer(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        if (path.startsWith(ACME_CHALLENGE)) {
            return acme.answer(path.substring(ACME_CHALLENGE.length()))
                    .map(k -> new Answer(200, "application/octet-stream",
                            k.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .orElse(Answer.NOT_FOUND);
        }
        Function<Request, Answer> route = routes.get(path);
        if (route == null && path.toLowerCase(java.util.Locale.ROOT).startsWith("/autodiscover/")) {
            // Outlook writes /Autodiscover/Autodiscover.xml, and the JSON form with /v1.0/ADDRESS after it.
            String lower = path.toLowerCase(java.util.Locale.ROOT);
            route = lower.equals("/autodiscover/autodiscover.xml") ? routes.get("/autodiscover/autodiscover.xml")
                    : lower.startsWith("/autodiscover/autodiscover.json") ? routes.get("/autodiscover/autodiscover.json")
                    : null;
        }
        if (route == null) {
            return Answer.NOT_FOUND;
        }
        byte[] body = body(x);
        if (body == null) {
            return Answer.error(413, "Request too large");
        }
        return route.apply(new Request(x.getRequestMethod(), path, Request.parseQuery(x.getRequestURI().getRawQuery()),
                Request.hostName(x.getRequestHeaders().getFirst("Host")), body));
    }

    /**
     * RFC 8461 §3.3: the policy at {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} for a local domain,
     * {@code text/plain}. Also on the {@code http} role, for a TLS-terminating proxy in front of it.
     */
    private static Answer mtaSts(Request r, MailEndpoints endpoints, PublishedPolicy sts) {
        String domain = r.host().startsWith("mta-sts.") ? r.host().substring("mta-sts.".length()) : "";
        if (sts == null || !endpoints.isLocal(domain)) {
            return Answer.NOT_FOUND;
        }
        return new Answer(200, "text/plain", sts.text().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The request body, or null when it is larger than allowed (then it is not read further). */
    private byte[] body(HttpExchange x) throws IOException {
        String length = x.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > maxBody) {
                    return null;
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try (InputStream in = x.getRequestBody()) {
            byte[] b = in.readNBytes((int) maxBody + 1); // chunked bodies have no length: read one octet beyond
            return b.length > maxBody ? null : b;
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
