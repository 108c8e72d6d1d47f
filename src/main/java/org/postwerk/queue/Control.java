package org.postwerk.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.postwerk.io.DurableFile;

/**
 * How {@code postwerk queue} and {@code postwerk sendmail} talk to a running server: a request is a small file
 * {@code control/NAME.req} holding {@code OP ID}; the server's scheduler picks it up (every second), acts, and
 * answers with {@code control/NAME.done} holding {@code ok} or the problem. Files, not a socket, so the CLI needs
 * no port and works with plain file permissions. When no server runs, the CLI owns the queue and acts directly.
 */
public final class Control {
    /** What the CLI can ask for. NEW: sendmail put an entry in the spool; read it. */
    public enum Op { FLUSH, RETRY, HOLD, RELEASE, DELETE, BOUNCE, NEW }

    /** One request: an operation and, except for FLUSH, an id. */
    public record Request(String name, Op op, String id) {}

    private final Path dir;

    public Control(Spool spool) {
        this.dir = spool.control;
    }

    /** Sends a request and waits for the answer; empty when the server did not answer in time. */
    public Optional<String> ask(Op op, String id, Duration wait) throws IOException, InterruptedException {
        String name = System.currentTimeMillis() + "-" + UUID.randomUUID();
        write(dir.resolve(name + ".req"), op.name().toLowerCase(Locale.ROOT) + (id == null ? "" : " " + id) + "\n");
        Path done = dir.resolve(name + ".done");
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(done)) {
                String answer = Files.readString(done).strip();
                Files.deleteIfExists(done);
                return Optional.of(answer);
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /** Sends a request without waiting (sendmail's NEW: the server may not be running). */
    public void tell(Op op, String id) throws IOException {
        String name = System.currentTimeMillis() + "-" + UUID.randomUUID();
        write(dir.resolve(name + ".req"), op.name().toLowerCase(Locale.ROOT) + " " + id + "\nnoreply\n");
    }

    /** The pending requests, oldest first; unreadable ones are answered with an error and dropped. */
    public List<Request> pending() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.req")) {
            s.forEach(files::add);
        }
        files.sort(null);
        List<Request> out = new ArrayList<>();
        for (Path p : files) {
            String name = p.getFileName().toString().replaceFirst("\\.req$", "");
            String[] words = Files.readString(p, StandardCharsets.UTF_8).strip().split("\\s+");
            try {
                Op op = Op.valueOf(words[0].toUpperCase(Locale.ROOT));
                out.add(new Request(name, op, words.length > 1 ? words[1] : null));
            } catch (IllegalArgumentException e) {
                answer(new Request(name, null, null), "unknown request " + words[0]);
            }
        }
        return out;
    }

    /** Answers a request (when the asker waits) and removes it. */
    public void answer(Request r, String answer) throws IOException {
        Path req = dir.resolve(r.name() + ".req");
        boolean noReply = Files.exists(req) && Files.readString(req).contains("noreply");
        if (!noReply) {
            write(dir.resolve(r.name() + ".done"), answer + "\n");
        }
        Files.deleteIfExists(req);
    }

    /** Whole or not at all (the other side polls for the name), mode 0600 like every queue file. */
    private static void write(Path file, String text) throws IOException {
        DurableFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
