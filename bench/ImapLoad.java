import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The benchmark's IMAP load generator (scenarios I1-I5, docs/performance.md). Every connection is implicit TLS
 * (imaps) and logs in with LOGIN, the same for Postwerk and Dovecot; loopback only; every wait has a timeout.
 * Prints one JSON object on stdout. Compiled once per run with javac; not part of the server.
 *
 *   fetch   --port P --user U --pass W --sessions S --repeat R [--warm W]   I1: FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)]),
 *           R times per session, timed, after W untimed ones (compiling the client before the clock starts)
 *   search  --port P --user U --pass W --sessions S --repeat R          I2: SELECT, SEARCH FROM / SUBJECT / SINCE
 *   append  --port P --user U --pass W --sessions S --count N --size B --mailbox M     I3
 *   idle    --port P --smtp-port Q --user U --pass W --count N --batch B --ready F --go F --hold-max S    I4
 *   notify  --port P --smtp-port Q --user U --pass W --count N          I5: SMTP delivery to IDLE EXISTS latency
 */
public final class ImapLoad {
    private static final int TIMEOUT_MS = 30_000;
    private static final String HEADERS = "BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE)]";
    private static final Pattern EXISTS = Pattern.compile("\\* \\d+ EXISTS");

    private static int num(Map<String, String> o, String k, int dflt) {
        return SmtpLoad.num(o, k, dflt);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = SmtpLoad.options(args);
        String json = switch (args[0]) {
            case "fetch" -> fetch(o);
            case "search" -> search(o);
            case "append" -> append(o);
            case "idle" -> idle(o);
            case "notify" -> notify(o);
            default -> throw new IllegalArgumentException("mode: fetch | search | append | idle | notify");
        };
        System.out.println(json);
        System.exit(0);
    }


    /** Runs `body` in S sessions at once, each logged in and with INBOX selected; returns the wall time in s. */
    private static double parallel(Map<String, String> o, boolean select, SessionWork body,
                                   ConcurrentLinkedQueue<String> errors) throws Exception {
        return parallel(o, select, null, body, errors);
    }

    /**
     * @param warm untimed work on each connection before the clock starts (null: none): it compiles the client's
     *             own code, which would otherwise run interpreted in the first timed commands and slow them
     */
    private static double parallel(Map<String, String> o, boolean select, SessionWork warm, SessionWork body,
                                   ConcurrentLinkedQueue<String> errors) throws Exception {
        int sessions = num(o, "sessions", 1);
        List<Conn> conns = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            Conn c = Conn.login(o, 0);
            if (select) c.command("SELECT INBOX");
            if (warm != null) warm.run(s, c);
            conns.add(c);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        long t0;
        try (var pool = Executors.newFixedThreadPool(sessions)) {
            for (int s = 0; s < sessions; s++) {
                int id = s;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        body.run(id, conns.get(id));
                    } catch (IOException | RuntimeException e) {
                        errors.add(String.valueOf(e.getMessage()));
                    }
                    return null;
                }));
            }
            t0 = System.nanoTime();
            start.countDown();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        conns.forEach(Conn::close);
        return secs;
    }

    interface SessionWork {
        void run(int session, Conn c) throws IOException;
    }

    /** I1: each session fetches FLAGS and four header fields of every message, R times. */
    static String fetch(Map<String, String> o) throws Exception {
        int repeat = num(o, "repeat", 3);
        int warm = num(o, "warm", 0);
        AtomicInteger messages = new AtomicInteger();
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        double secs = parallel(o, true, (id, c) -> {
            for (int r = 0; r < warm; r++) {
                c.command("FETCH 1:* (FLAGS " + HEADERS + ")");
            }
        }, (id, c) -> {
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                Response resp = c.command("FETCH 1:* (FLAGS " + HEADERS + ")");
                nanos.add(System.nanoTime() - t0);
                messages.addAndGet(resp.untagged(" FETCH "));
            }
        }, errors);
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return "{\"messages\":%d,\"seconds\":%.3f,\"msgs_per_s\":%.1f,\"fetch_ms_p50\":%.1f,\"errors\":%s}".formatted(
                messages.get(), secs, messages.get() / secs, sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6,
                jsonList(List.copyOf(errors)));
    }

    /** I2: per iteration SELECT INBOX then three SEARCHes; the hit counts show both servers found the same. */
    static String search(Map<String, String> o) throws Exception {
        int repeat = num(o, "repeat", 20);
        String[] keys = {"FROM \"sender042\"", "SUBJECT \"invoice\"", "SINCE 1-Oct-2026"};
        AtomicLongArray hits = new AtomicLongArray(keys.length);
        AtomicInteger iterations = new AtomicInteger();
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        double secs = parallel(o, false, (id, c) -> {
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                c.command("SELECT INBOX");
                for (int k = 0; k < keys.length; k++) {
                    Response resp = c.command("SEARCH " + keys[k]);
                    String line = resp.lines.stream().filter(l -> l.startsWith("* SEARCH")).findFirst().orElse("* SEARCH");
                    hits.set(k, line.split(" ").length - 2);
                }
                nanos.add(System.nanoTime() - t0);
                iterations.incrementAndGet();
            }
        }, errors);
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return ("{\"iterations\":%d,\"seconds\":%.3f,\"per_s\":%.1f,\"iteration_ms_p50\":%.2f,\"hits\":[%d,%d,%d],"
                + "\"errors\":%s}").formatted(iterations.get(), secs, iterations.get() / secs,
                sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6, hits.get(0), hits.get(1), hits.get(2),
                jsonList(List.copyOf(errors)));
    }

    /** I3: S sessions APPEND N messages of B octets in all (synchronizing literals), to one folder. */
    static String append(Map<String, String> o) throws Exception {
        int count = num(o, "count", 2000);
        byte[] body = message(num(o, "size", 4096), "append");
        String mailbox = o.getOrDefault("mailbox", "INBOX");
        AtomicInteger next = new AtomicInteger(), ok = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        try (Conn c = Conn.login(o, 0)) {
            c.create(mailbox);
        }
        double secs = parallel(o, false, (id, c) -> {
            while (next.getAndIncrement() < count) {
                c.append(mailbox, body);
                ok.incrementAndGet();
            }
        }, errors);
        return "{\"appended\":%d,\"failed\":%d,\"seconds\":%.3f,\"msgs_per_s\":%.1f,\"errors\":%s}".formatted(
                ok.get(), count - ok.get(), secs, ok.get() / secs, jsonList(List.copyOf(errors)));
    }

    /**
     * I4: N sessions log in, SELECT INBOX and IDLE, opened in batches of B; touches READY when all idle, waits
     * for GO (the harness measures the server's memory in between), then delivers one message by SMTP and
     * waits until every session has heard EXISTS (at most 60 s). Times are from the end of DATA.
     */
    static String idle(Map<String, String> o) throws Exception {
        int count = num(o, "count", 10_000), batch = num(o, "batch", 200);
        List<Conn> held = new ArrayList<>();
        int failed = 0;
        String firstError = null;
        long t0 = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int opened = 0; opened < count; ) {
                int n = Math.min(batch, count - opened);
                var futures = new ArrayList<Future<Conn>>();
                for (int i = 0; i < n; i++) {
                    int index = opened + i;
                    futures.add(pool.submit(() -> {
                        Conn c = Conn.login(o, index);
                        try {
                            c.command("SELECT INBOX");
                            c.send("I IDLE");
                            c.awaitLine(l -> l.startsWith("+"));
                            return c;
                        } catch (IOException | RuntimeException e) {
                            c.close();
                            throw e;
                        }
                    }));
                }
                opened += n;
                int got = 0;
                for (var f : futures) {
                    try {
                        held.add(f.get(TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS));
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
        Path go = Path.of(o.get("go"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(num(o, "hold-max", 120));
        while (!Files.exists(go) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        // Every held session waits for its EXISTS on its own virtual thread; the delivery starts after all wait.
        AtomicLongArray heard = new AtomicLongArray(held.size());
        CountDownLatch all = new CountDownLatch(held.size());
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            int k = i;
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    held.get(k).awaitLine(l -> EXISTS.matcher(l).lookingAt(), 60_000);
                    heard.set(k, System.nanoTime());
                } catch (IOException | RuntimeException e) {
                    // not heard
                }
                all.countDown();
            }));
        }
        long[] sent = deliver(num(o, "smtp-port", 25), o.getOrDefault("rcpt", "i@bench.test"), "idle");
        all.await(65, TimeUnit.SECONDS);
        List<Long> after = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            if (heard.get(i) != 0) after.add(heard.get(i) - sent[0]);
        }
        long[] sorted = after.stream().mapToLong(Long::longValue).sorted().toArray();
        held.forEach(Conn::close);
        waiters.forEach(Thread::interrupt);
        return ("{\"attempted\":%d,\"held\":%d,\"failed\":%d,\"open_seconds\":%.2f,\"notified\":%d,"
                + "\"smtp_ms\":%.1f,\"notify_p50_ms\":%.1f,\"notify_max_ms\":%.1f,\"first_error\":%s}").formatted(
                held.size() + failed, held.size(), failed, openSecs, sorted.length, (sent[1] - sent[0]) / 1e6,
                sorted.length == 0 ? -1 : sorted[sorted.length / 2] / 1e6,
                sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1e6, jsonString(firstError));
    }

    /** I5: one IDLE session; N deliveries one after the other, each timed from the end of DATA to EXISTS. */
    static String notify(Map<String, String> o) throws Exception {
        int count = num(o, "count", 200);
        int smtpPort = num(o, "smtp-port", 25);
        String rcpt = o.getOrDefault("rcpt", "i@bench.test");
        long[] nanos = new long[count];
        long[] smtp = new long[count];
        try (Conn c = Conn.login(o, 0)) {
            c.command("SELECT INBOX");
            c.send("I IDLE");
            c.awaitLine(l -> l.startsWith("+"));
            for (int i = 0; i < count; i++) {
                long[] sent = deliver(smtpPort, rcpt, "notify " + i);
                c.awaitLine(l -> EXISTS.matcher(l).lookingAt(), 10_000);
                nanos[i] = System.nanoTime() - sent[0];
                smtp[i] = sent[1] - sent[0];
            }
            c.send("DONE");
        }
        Arrays.sort(nanos);
        Arrays.sort(smtp);
        return "{\"count\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"smtp_p50_ms\":%.2f}".formatted(count,
                nanos[count / 2] / 1e6, nanos[Math.min(count - 1, (int) Math.ceil(count * 0.99) - 1)] / 1e6,
                nanos[count - 1] / 1e6, smtp[count / 2] / 1e6);
    }

    /** One SMTP transaction on a new connection; returns {nanoTime when the dot was sent, when its 250 came}. */
    static long[] deliver(int port, String rcpt, String subject) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            smtp(in, out, null, "220");
            smtp(in, out, "EHLO load.bench.test", "250");
            smtp(in, out, "MAIL FROM:<a@bench.test>", "250");
            smtp(in, out, "RCPT TO:<" + rcpt + ">", "250");
            smtp(in, out, "DATA", "354");
            out.write(message(2048, subject));
            long dot = System.nanoTime();
            smtp(in, out, ".", "250");
            long ok = System.nanoTime();
            smtp(in, out, "QUIT", "221");
            return new long[] {dot, ok};
        }
    }

    private static void smtp(InputStream in, OutputStream out, String line, String code) throws IOException {
        if (line != null) {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        String last;
        do {
            last = readLine(in);
        } while (last.length() > 3 && last.charAt(3) == '-');
        if (!last.startsWith(code)) throw new IOException("SMTP after " + line + ": " + last);
    }

    /** A message of about `size` octets, CRLF, no leading dots. */
    static byte[] message(int size, String subject) {
        StringBuilder sb = new StringBuilder(size + 200);
        sb.append("From: <a@bench.test>\r\nTo: <i@bench.test>\r\nSubject: bench ").append(subject)
                .append("\r\nDate: Tue, 1 Dec 2026 12:00:00 +0000\r\nMessage-ID: <").append(System.nanoTime())
                .append("@load.bench.test>\r\n\r\n");
        String line = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmn\r\n";
        while (sb.length() < size) sb.append(line);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream sb = new ByteArrayOutputStream(128);
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') return sb.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            sb.write(b);
        }
        throw new IOException("connection closed");
    }

    private static final SSLContext TLS;

    static {
        try {
            TLS = SmtpLoad.trustAll();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static String jsonString(String s) {
        return SmtpLoad.jsonString(s);
    }

    /** At most the first five. */
    private static String jsonList(List<String> items) {
        return SmtpLoad.jsonList(items.subList(0, Math.min(5, items.size())));
    }

    /** The untagged lines of one command's response (literals read and dropped) and its tagged status line. */
    record Response(List<String> lines, String status) {
        int untagged(String contains) {
            int n = 0;
            for (String l : lines) if (l.contains(contains)) n++;
            return n;
        }
    }

    interface LineTest {
        boolean test(String line);
    }

    /** One imaps connection. */
    static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final LineIn in;
        private final OutputStream out;
        private int tag;

        private Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new LineIn(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Connects (from 127.0.0.1-8 in turn, so 10,000 connections do not run short of ports) and logs in. */
        static Conn login(Map<String, String> o, int index) throws IOException {
            Socket raw = new Socket();
            try {
                raw.bind(new InetSocketAddress("127.0.0." + (1 + index % 8), 0));
                raw.connect(new InetSocketAddress("127.0.0.1", num(o, "port", 993)), TIMEOUT_MS);
                raw.setSoTimeout(TIMEOUT_MS);
                raw.setTcpNoDelay(true);
                SSLSocket s = (SSLSocket) TLS.getSocketFactory().createSocket(raw, "localhost", raw.getPort(), true);
                s.setUseClientMode(true);
                s.startHandshake();
                Conn c = new Conn(s);
                c.awaitLine(l -> l.startsWith("* OK"));
                c.command("LOGIN " + o.get("user") + " " + o.get("pass"));
                return c;
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Sends a tagged command, reads its whole response; fails unless the status is OK. */
        Response command(String command) throws IOException {
            String t = "a" + (++tag);
            send(t + " " + command);
            return collect(t, command);
        }

        private Response collect(String t, String command) throws IOException {
            List<String> lines = new ArrayList<>();
            while (true) {
                String line = response();
                if (line.startsWith(t + " ")) {
                    if (!line.startsWith(t + " OK")) {
                        throw new IOException(command.split(" ")[0] + ": " + line);
                    }
                    return new Response(lines, line);
                }
                lines.add(line);
            }
        }

        /** CREATE, where an existing folder is fine. */
        void create(String mailbox) throws IOException {
            String t = "a" + (++tag);
            send(t + " CREATE " + mailbox);
            try {
                collect(t, "CREATE");
            } catch (IOException e) {
                if (!e.getMessage().contains(" NO")) throw e;
            }
        }

        /** APPEND with a synchronizing literal (RFC 9051 §7.5: wait for the continuation). */
        void append(String mailbox, byte[] body) throws IOException {
            String t = "a" + (++tag);
            send(t + " APPEND " + mailbox + " (\\Seen) {" + body.length + "}");
            String cont = response();
            if (!cont.startsWith("+")) throw new IOException("APPEND: " + cont);
            out.write(body);
            send("");
            collect(t, "APPEND");
        }

        void awaitLine(LineTest test) throws IOException {
            awaitLine(test, TIMEOUT_MS);
        }

        void awaitLine(LineTest test, int timeoutMs) throws IOException {
            socket.setSoTimeout(timeoutMs);
            try {
                while (!test.test(response())) {
                    // skip other responses
                }
            } finally {
                socket.setSoTimeout(TIMEOUT_MS);
            }
        }

        /** One response line, with any literals it carries read and replaced by their size. */
        private String response() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                String line = in.readLine();
                sb.append(line);
                int open = line.endsWith("}") ? line.lastIndexOf('{') : -1;
                if (open < 0) return sb.toString();
                in.skip(Long.parseLong(line.substring(open + 1, line.length() - 1).replace("+", "")));
            }
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

    /**
     * The client's reading side: a plain buffer without the per-byte locking of BufferedInputStream, so that
     * the client costs as little CPU as possible (it shares the machine's cores with the server measured: in
     * I1 the client used to spend three times the server's CPU per message, and flattened the comparison).
     */
    static final class LineIn {
        private final InputStream src;
        private final byte[] buf = new byte[65536];
        private int pos;
        private int limit;

        LineIn(InputStream src) {
            this.src = src;
        }

        private void fill() throws IOException {
            int n = src.read(buf, 0, buf.length);
            if (n < 0) throw new IOException("connection closed");
            pos = 0;
            limit = n;
        }

        /** One line without its CR LF. */
        String readLine() throws IOException {
            StringBuilder long_ = null;
            while (true) {
                if (pos >= limit) fill();
                int start = pos;
                while (pos < limit && buf[pos] != '\n') pos++;
                if (pos < limit) {
                    int end = pos++;
                    if (end > start && buf[end - 1] == '\r') end--;
                    String piece = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
                    if (long_ == null) return piece;
                    String all = long_.append(piece).toString();
                    return all.endsWith("\r") ? all.substring(0, all.length() - 1) : all;
                }
                if (long_ == null) long_ = new StringBuilder();
                long_.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
            }
        }

        void skip(long n) throws IOException {
            while (n > 0) {
                if (pos >= limit) fill();
                int k = (int) Math.min(n, limit - pos);
                pos += k;
                n -= k;
            }
        }
    }
}
