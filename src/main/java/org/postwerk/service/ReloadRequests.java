package org.postwerk.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postwerk.io.DurableFile;

/**
 * How {@code postwerk reload} reaches the running server, as {@code postwerk queue} does: an empty file
 * {@code DATA/control/NAME.reload} asks, the server (which looks twice a second) answers in
 * {@code NAME.done} with the outcome's one line. Files rather than a signal, so that the command learns
 * whether the new configuration was taken or refused, and needs only the data folder's permissions.
 */
public final class ReloadRequests {
    private final Path dir;

    public ReloadRequests(Path dataDir) {
        this.dir = dataDir.resolve("control");
    }

    /** Asks for a reload and waits for the answer; empty when none came in time. */
    public Optional<String> ask(Duration wait) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String name = System.currentTimeMillis() + "-" + UUID.randomUUID();
        DurableFile.write(dir.resolve(name + ".reload"), new byte[0]);
        Path done = dir.resolve(name + ".done");
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(done)) {
                String answer = Files.readString(done, StandardCharsets.UTF_8).strip();
                Files.deleteIfExists(done);
                return Optional.of(answer);
            }
            Thread.sleep(50);
        }
        Files.deleteIfExists(dir.resolve(name + ".reload")); // not taken: do not reload later by surprise
        return Optional.empty();
    }

    /** The names of the requests waiting, oldest first. */
    public List<String> pending() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.reload")) {
            s.forEach(p -> names.add(p.getFileName().toString().replaceFirst("\\.reload$", "")));
        }
        names.sort(null);
        return names;
    }

    /** Answers one request and removes it. */
    public void answer(String name, String answer) throws IOException {
        DurableFile.write(dir.resolve(name + ".done"), (answer + "\n").getBytes(StandardCharsets.UTF_8));
        Files.deleteIfExists(dir.resolve(name + ".reload"));
    }
}
