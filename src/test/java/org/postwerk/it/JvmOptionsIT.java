package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/jvm-options}, which every launcher asks for the server's JVM options: with a cache folder it
 * makes the ahead-of-time cache once by a training run and offers it from then on; a training that fails, or one
 * already under way, never stops a start (the options come without a cache).
 */
class JvmOptionsIT {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result jvmOptions(Path jar, Path aot) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("scripts/jvm-options", System.getProperty("java.home"),
                jar.toString(), aot.toString());
        pb.environment().remove("POSTWERK_JAVA_OPTS");
        // Both streams to files, so the timeout holds even when the script hangs with its output open.
        Path out = Files.createTempFile("jvm-options", ".out");
        Path err = Files.createTempFile("jvm-options", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("scripts/jvm-options did not finish within 180 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).trim(),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assumeJdk25() {
        assumeTrue(Runtime.version().feature() >= 25, "the ahead-of-time cache needs JDK 25");
    }

    @Test
    void trainsOnceThenOffersTheCache() throws Exception {
        assumeJdk25();
        Path aot = dir.resolve("aot");
        Result first = jvmOptions(Path.of("target/postwerk.jar"), aot);

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).contains("postwerk aot-train: 2000 inbound");
        List<String> made = files(aot);
        assertThat(made).as("one cache, no lock or temporary file left").hasSize(1);
        assertThat(made.getFirst()).startsWith("postwerk-").endsWith(".aot");
        assertThat(first.out()).contains("-XX:AOTCache=" + aot.resolve(made.getFirst()))
                .contains("-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=", "MemLimit");

        Result second = jvmOptions(Path.of("target/postwerk.jar"), aot);
        assertThat(second.err()).as("no second training").isEmpty();
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void aFailedTrainingIsShownAndTheServerGoesWithoutACache() throws Exception {
        assumeJdk25();
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a jar");
        Path aot = dir.resolve("aot");
        Result r = jvmOptions(notAJar, aot);

        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("the training run failed");
        assertThat(r.out()).contains("-XX:+UseSerialGC").doesNotContain("AOTCache");
        assertThat(files(aot)).as("no cache, no lock").isEmpty();
    }

    @Test
    void aLockLeftByAKilledTrainingIsTakenOverAfterFifteenMinutes() throws Exception {
        assumeJdk25();
        Path aot = dir.resolve("aot");
        Path lock = Files.createDirectories(aot.resolve("training"));
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - TimeUnit.MINUTES.toMillis(16)));
        // A jar that cannot train fails at once: enough to see that this launcher tried.
        Result r = jvmOptions(Files.writeString(dir.resolve("broken.jar"), "not a jar"), aot);

        assertThat(r.err()).contains("training the JVM's ahead-of-time cache", "the training run failed");
        assertThat(files(aot)).as("the stale lock removed with the failed training").isEmpty();
    }

    @Test
    void whileAnotherLauncherTrainsThisOneStartsWithout() throws Exception {
        assumeJdk25();
        Path aot = Files.createDirectories(dir.resolve("aot/training"));
        Result r = jvmOptions(Path.of("target/postwerk.jar"), aot.getParent());

        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("-XX:+UseSerialGC").doesNotContain("AOTCache");
        assertThat(files(aot.getParent())).containsExactly("training");
    }
}
