package org.postwerk.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real server as a separate process ({@code java -jar target/postwerk.jar}), for tests that must kill it
 * with SIGKILL or use it exactly as an operator would: smtp, submission, submissions and imaps listeners on
 * ports picked free on 127.0.0.1.
 */
final class ServerProcess implements AutoCloseable {
    final Path dir;
    final Path config;
    /** The ports; read them after {@link #start}, which picks new ones when another program took one meanwhile. */
    int smtp;
    int submission;
    int submissions;
    int imaps;
    private Process process;

    ServerProcess(Path dir) throws IOException {
        this.dir = dir;
        this.config = dir.resolve("postwerk.toml");
        pickPorts();
    }

    private void pickPorts() throws IOException {
        smtp = freePort();
        submission = freePort();
        submissions = freePort();
        imaps = freePort();
        Files.writeString(config, """
                hostname = "mx.example.test"
                data_dir = "data"
                local_domains = ["example.test"]
                relay_networks = []
                [smtp]
                postmaster = "alice@example.test"
                [[listener]]
                role = "smtp"
                address = "127.0.0.1"
                port = %d
                [[listener]]
                role = "submission"
                address = "127.0.0.1"
                port = %d
                [[listener]]
                role = "submissions"
                address = "127.0.0.1"
                port = %d
                [[listener]]
                role = "imaps"
                address = "127.0.0.1"
                port = %d
                [limits]
                connections_per_ip = 100
                [dns]
                servers = ["127.0.0.1:9"]
                timeout = "1s"
                """.formatted(smtp, submission, submissions, imaps));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Path jar() {
        return Path.of(System.getProperty("postwerk.jar", "target/postwerk.jar"));
    }

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-jar");
        cmd.add(jar().toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a CLI command to completion with {@code stdin} as input; returns its output. */
    String cli(String stdin, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java(args)).directory(dir.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("postwerk " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    void addUser(String address, String password) throws IOException, InterruptedException {
        cli(password + "\n", "user", "add", address, "--config", config.toString());
    }

    /**
     * Starts the server and waits until it listens. A free port found earlier may have been taken since (tests
     * run in parallel): then new ports are picked and the start is tried again.
     */
    void start() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                launch();
                return;
            } catch (IOException e) {
                if (attempt == 3 || !e.getMessage().contains("BindException")) {
                    throw e;
                }
                pickPorts();
            }
        }
    }

    private void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(java("serve", "--config", config.toString())).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited: " + Files.readString(dir.resolve("server.log")));
            }
            // Its own word that the last listener is bound: a connect could reach whoever took the port.
            if (Files.readString(dir.resolve("server.log")).contains("listening role=IMAPS")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("server did not start: " + Files.readString(dir.resolve("server.log")));
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    Path newDir(String account) {
        int at = account.indexOf('@');
        return dir.resolve("data/mail").resolve(account.substring(at + 1)).resolve(account.substring(0, at))
                .resolve("Maildir/new");
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
