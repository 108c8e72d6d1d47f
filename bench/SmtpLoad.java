import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The benchmark's own SMTP load generator (its option, TLS and JSON helpers serve bench/ImapLoad.java too), for what smtp-source cannot do: STARTTLS + AUTH (S6), per-transaction
 * latency (S3) and thousands of idle sessions (S5). Loopback only; every wait has a timeout. Prints one JSON
 * object on stdout. Compiled once per run with javac; not part of the server.
 *
 *   latency --port P --count N --size B
 *   load    --port P --sessions S --count N --size B [--starttls] [--auth user:password]
 *           [--message FILE --from ADDRESS --to ADDRESS]     (S8, S9: this message, as is, every time)
 *   idle    --port P --count N --batch B --ready FILE --release FILE --hold-max SECONDS
 */
public final class SmtpLoad {
    private static final int TIMEOUT_MS = 10_000;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String json = switch (args[0]) {
            case "latency" -> latency(o);
            case "load" -> load(o);
            case "idle" -> idle(o);
            default -> throw new IllegalArgumentException("mode: latency | load | idle");
        };
        System.out.println(json);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String k = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(k, flag ? "true" : args[++i]);
        }
        return o;
    }

    static int num(Map<String, String> o, String k, int dflt) {
        return Integer.parseInt(o.getOrDefault(k, String.valueOf(dflt)));
    }

    /** S3: one session, sequential transactions; the time from MAIL FROM to the 250 after the final dot. */
    static String latency(Map<String, String> o) throws IOException {
        int count = num(o, "count", 1000);
        byte[] body = message(num(o, "size", 1024), "latency");
        long[] nanos = new long[count];
        try (Conn c = Conn.open(num(o, "port", 25))) {
            c.expect(null, 220);
            c.expect("EHLO load.bench.test", 250);
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                transaction(c, body);
                nanos[i] = System.nanoTime() - t0;
            }
            c.expect("QUIT", 221);
        }
        Arrays.sort(nanos);
        return "{\"count\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}".formatted(count,
                nanos[count / 2] / 1e6, nanos[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)] / 1e6,
                nanos[count - 1] / 1e6);
    }

    /** S6 (and a plain S1 twin): S concurrent workers, one connection per message, like smtp-source. */
    static String load(Map<String, String> o) throws Exception {
        int sessions = num(o, "sessions", 20), count = num(o, "count", 1000), port = num(o, "port", 25);
        boolean starttls = o.containsKey("starttls");
        String auth = o.get("auth");
        byte[] body = o.containsKey("message") ? stuffed(Files.readAllBytes(Path.of(o.get("message"))))
                : message(num(o, "size", 4096), "load");
        String from = o.getOrDefault("from", "a@bench.test"), to = o.getOrDefault("to", "u@bench.test");
        AtomicInteger next = new AtomicInteger(), ok = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        SSLContext tls = trustAll();
        long t0 = System.nanoTime(), startMillis = System.currentTimeMillis();
        try (var pool = Executors.newFixedThreadPool(sessions)) {
            for (int s = 0; s < sessions; s++) {
                pool.submit(() -> {
                    while (next.getAndIncrement() < count) {
                        try (Conn c = Conn.open(port)) {
                            c.expect(null, 220);
                            c.expect("EHLO load.bench.test", 250);
                            if (starttls) {
                                c.expect("STARTTLS", 220);
                                c.startTls(tls);
                                c.expect("EHLO load.bench.test", 250);
                            }
                            if (auth != null) {
                                String plain = Base64.getEncoder().encodeToString(
                                        ("\0" + auth.replaceFirst(":", "\0")).getBytes(StandardCharsets.UTF_8));
                                c.expect("AUTH PLAIN " + plain, 235);
                            }
                            transaction(c, body, from, to);
                            c.expect("QUIT", 221);
                            ok.incrementAndGet();
                        } catch (IOException | RuntimeException e) {
                            if (errors.size() < 5) errors.add(String.valueOf(e.getMessage()));
                        }
                    }
                    return null;
                });
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        // start: when the first connection opened (epoch seconds), so "until delivered" leaves out the JVM's start.
        return "{\"sent\":%d,\"failed\":%d,\"seconds\":%.3f,\"msgs_per_s\":%.1f,\"start\":%.3f,\"errors\":%s}".formatted(
                ok.get(), count - ok.get(), secs, ok.get() / secs, startMillis / 1e3, jsonList(errors));
    }

    /**
     * S5: opens N sessions in batches (greeting + EHLO each), holds them, then probes with one new full
     * transaction. Stops opening once a whole batch gets nothing (the server is saturated), so a process-limited
     * server costs one batch timeout, not N of them. Touches READY when holding, waits for RELEASE (bounded).
     */
    static String idle(Map<String, String> o) throws Exception {
        int count = num(o, "count", 10_000), batch = num(o, "batch", 500), port = num(o, "port", 25);
        List<Conn> held = new ArrayList<>();
        int failed = 0;
        String firstError = null;
        long t0 = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int opened = 0; opened < count; ) {
                int n = Math.min(batch, count - opened);
                opened += n;
                var futures = new ArrayList<java.util.concurrent.Future<Conn>>();
                for (int i = 0; i < n; i++) {
                    futures.add(pool.submit(() -> {
                        Conn c = Conn.open(port);
                        try {
                            c.expect(null, 220);
                            c.expect("EHLO idle.bench.test", 250);
                            return c;
                        } catch (IOException | RuntimeException e) {
                            c.close();
                            throw e;
                        }
                    }));
                }
                int got = 0;
                for (var f : futures) {
                    try {
                        held.add(f.get(3L * TIMEOUT_MS + 1_000, TimeUnit.MILLISECONDS));
                        got++;
                    } catch (Exception e) {
                        failed++;
                        if (firstError == null) firstError = String.valueOf(e.getCause() == null ? e : e.getCause());
                    }
                }
                if (got == 0) break;
            }
        }
        double openSecs = (System.nanoTime() - t0) / 1e9;
        Files.writeString(Path.of(o.get("ready")), held.size() + "\n");
        long probeStart = System.nanoTime();
        String probe;
        try (Conn c = Conn.open(port)) {
            c.expect(null, 220);
            c.expect("EHLO probe.bench.test", 250);
            transaction(c, message(4096, "probe"));
            c.expect("QUIT", 221);
            probe = "\"probe_ms\":%.1f,\"probe_error\":null".formatted((System.nanoTime() - probeStart) / 1e6);
        } catch (IOException | RuntimeException e) {
            probe = "\"probe_ms\":%.1f,\"probe_error\":%s".formatted((System.nanoTime() - probeStart) / 1e6,
                    jsonString(String.valueOf(e)));
        }
        Path release = Path.of(o.get("release"));
        long holdUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(num(o, "hold-max", 60));
        while (!Files.exists(release) && System.nanoTime() < holdUntil) {
            Thread.sleep(100);
        }
        int alive = 0;
        for (Conn c : held) {
            try {
                c.expect("NOOP", 250);
                alive++;
            } catch (IOException | RuntimeException e) {
                // counted as not alive
            }
            c.close();
        }
        return "{\"attempted\":%d,\"held\":%d,\"failed\":%d,\"alive_at_end\":%d,\"open_seconds\":%.2f,%s,\"first_error\":%s}"
                .formatted(held.size() + failed, held.size(), failed, alive, openSecs, probe, jsonString(firstError));
    }

    private static void transaction(Conn c, byte[] body) throws IOException {
        transaction(c, body, "a@bench.test", "u@bench.test");
    }

    private static void transaction(Conn c, byte[] body, String from, String to) throws IOException {
        c.expect("MAIL FROM:<" + from + ">", 250);
        c.expect("RCPT TO:<" + to + ">", 250);
        c.expect("DATA", 354);
        c.out.write(body);
        c.expect(".", 250);
    }

    /** A message of about `size` octets: headers and 76-character lines of text, CRLF, no leading dots. */
    static byte[] message(int size, String subject) {
        StringBuilder sb = new StringBuilder(size + 200);
        sb.append("From: <a@bench.test>\r\nTo: <u@bench.test>\r\nSubject: bench ").append(subject)
                .append("\r\nMessage-ID: <").append(System.nanoTime()).append("@load.bench.test>\r\n\r\n");
        String line = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmn\r\n";
        while (sb.length() < size) sb.append(line);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A message file (CRLF line ends) as DATA sends it: lines that start with a dot get another (RFC 5321 4.5.2). */
    static byte[] stuffed(byte[] raw) {
        var out = new java.io.ByteArrayOutputStream(raw.length + 64);
        boolean lineStart = true;
        for (byte b : raw) {
            if (lineStart && b == '.') out.write('.');
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) out.write("\r\n".getBytes(StandardCharsets.US_ASCII), 0, 2);
        return out.toByteArray();
    }

    static SSLContext trustAll() throws Exception {
        // The servers under test use throw-away self-signed certificates on loopback.
        TrustManager tm = new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {tm}, null);
        return ctx;
    }

    static String jsonString(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("[\\r\\n]", " ") + "\"";
    }

    static String jsonList(Iterable<String> items) {
        List<String> out = new ArrayList<>();
        items.forEach(s -> out.add(jsonString(s)));
        return "[" + String.join(",", out) + "]";
    }

    /** One client connection: CRLF lines out, whole (multi-line) replies in. */
    static final class Conn implements AutoCloseable {
        private Socket socket;
        private InputStream in;
        OutputStream out;

        static Conn open(int port) throws IOException {
            Conn c = new Conn();
            c.socket = new Socket();
            try {
                c.socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
                c.socket.setSoTimeout(TIMEOUT_MS);
                c.socket.setTcpNoDelay(true);
                c.streams();
            } catch (IOException e) {
                c.close();
                throw e;
            }
            return c;
        }

        private void streams() throws IOException {
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = socket.getOutputStream();
        }

        void startTls(SSLContext ctx) throws IOException {
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
            s.setUseClientMode(true);
            s.startHandshake();
            socket = s;
            streams();
        }

        /** Sends `line` (unless null), reads one reply, fails unless its code is `code`. */
        void expect(String line, int code) throws IOException {
            if (line != null) out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String last;
            do {
                last = readLine();
            } while (last.length() > 3 && last.charAt(3) == '-');
            if (!last.startsWith(Integer.toString(code))) {
                throw new IOException("after " + (line == null ? "connect" : line.split(" ")[0]) + ": " + last);
            }
        }

        private String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b; (b = in.read()) != -1; ) {
                if (b == '\n') return sb.toString().stripTrailing();
                sb.append((char) b);
            }
            throw new IOException("connection closed");
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a benchmark connection
            }
        }
    }
}
