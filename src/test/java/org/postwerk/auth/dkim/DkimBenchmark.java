package org.postwerk.auth.dkim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.postwerk.testkit.ZoneResolver;

/**
 * Sign and verify rates for a 10 KB message, one thread, keys from an in-memory zone (no DNS cost). Not a test:
 * run it by hand, see docs/performance.md. Prints messages per second for each algorithm.
 */
public final class DkimBenchmark {
    private DkimBenchmark() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        byte[] message = message(10 * 1024);
        ZoneResolver zone = new ZoneResolver();
        DkimVerifier verifier = new DkimVerifier(zone, Clock.systemUTC());
        for (Algorithm.KeyType type : Algorithm.KeyType.values()) {
            KeyPair pair = DkimKeys.generate(type);
            Messages.publish(zone, "example.org", type.tag(), pair);
            Algorithm algorithm = type == Algorithm.KeyType.RSA ? Algorithm.RSA_SHA256 : Algorithm.ED25519_SHA256;
            DkimSigner signer = new DkimSigner(List.of(new DkimSigner.Key("example.org", type.tag(), algorithm,
                    pair.getPrivate())), Clock.systemUTC());
            byte[] signed = Messages.sign(signer, message);
            if (!Messages.verify(verifier, signed).getFirst().passed()) {
                throw new IllegalStateException("benchmark message does not verify");
            }
            report(algorithm.tag() + " sign", seconds, () -> Messages.sign(signer, message).length);
            report(algorithm.tag() + " verify", seconds, () -> Messages.verify(verifier, signed, 4096).size());
        }
    }

    private static void report(String name, double seconds, Supplier<Integer> operation) {
        run(operation, seconds / 2); // warm up
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long count = run(operation, seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        // CPU time is what the machine's other load does not distort; wall time is what a caller waits
        System.out.printf("%-22s %8.0f msg/s per CPU-second  %7.3f ms CPU/msg  (wall: %.0f msg/s)%n",
                name, count / cpu, cpu * 1000 / count, count / elapsed);
    }

    private static long run(Supplier<Integer> operation, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long count = 0;
        long sink = 0;
        while (System.nanoTime() < end) {
            sink += operation.get();
            count++;
        }
        return sink == Long.MIN_VALUE ? 0 : count;
    }

    /** A plausible message of about {@code size} bytes: usual headers, text lines of 72 characters. */
    static byte[] message(int size) {
        StringBuilder s = new StringBuilder("""
                From: Alice <alice@example.org>
                To: Bob <bob@example.net>
                Subject: Quarterly figures
                Date: Sun, 29 Nov 2026 03:00:00 +0000
                Message-ID: <bench@example.org>
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                """);
        String line = "The quick brown fox jumps over the lazy dog,  again and again  and again.\n";
        while (s.length() < size) {
            s.append(line);
        }
        return Messages.crlf(s.toString()).getBytes(StandardCharsets.UTF_8);
    }
}
