package org.postwerk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.postwerk.Postwerk;
import org.postwerk.Version;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigException;
import org.postwerk.log.LogSetup;
import org.postwerk.net.Listener;
import org.postwerk.service.StartFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code postwerk serve}: runs the server until SIGTERM/SIGINT, then shuts down in order; SIGHUP reloads. A
 * start that fails prints one line naming the cause and the thing at fault, and exits with a sysexits(3) code.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the mail server. The configuration is --config FILE, else $POSTWERK_CONFIG, else "
                + "/etc/postwerk/postwerk.toml, else ./postwerk.toml, else the embedded defaults (data in ./data).",
                "SIGHUP or `postwerk reload` reloads the configuration. A failed start prints one line and exits "
                        + "78 (configuration), 73 (cannot create) or 74 (I/O)."})
public final class ServeCommand implements Callable<Integer> {
    /** EX_SOFTWARE and EX_IOERR for failures that are not the configuration's. */
    private static final int EX_SOFTWARE = 70;
    private static final int EX_IOERR = 74;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--debug", description = "Show the stack trace of a failed start.")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConfigSearch search = configOptions.search();
        Config config;
        Postwerk server;
        try {
            config = search.server();
            try {
                LogSetup.apply(LogSetup.resolve(config.log(), System.getenv()));
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return EX_IOERR;
            }
            LogSetup.reopenOnSignal();
            server = Postwerk.start(config);
        } catch (ConfigException e) {
            int more = e.problems().size() - 1;
            return fail(e, e.problems().getFirst().toString() + (more == 0 ? ""
                    : " (and " + more + " more: postwerk check-config)"), PostwerkCommand.EX_CONFIG);
        } catch (StartFailure e) {
            return fail(e, e.problem().line(), e.problem().exit().code);
        } catch (IOException e) {
            return fail(e, "cannot start: " + e, EX_IOERR);
        } catch (RuntimeException e) {
            return fail(e, "cannot start: " + e, EX_SOFTWARE);
        }
        System.out.println("Postwerk " + Version.get() + " serving " + config.hostname()
                + " (local domains: " + String.join(", ", config.localDomains()) + ")");
        for (Listener l : server.listeners()) {
            System.out.println("  " + l.role().name().toLowerCase() + "  " + l.address().getAddress()
                    .getHostAddress() + ":" + l.address().getPort());
        }
        for (org.postwerk.web.WebServer w : server.webServers()) {
            System.out.println("  " + w.role().name().toLowerCase() + "  " + w.address().getAddress()
                    .getHostAddress() + ":" + w.address().getPort());
        }
        server.opsAddress().ifPresent(a -> System.out.println("  ops  " + a.getAddress().getHostAddress() + ":"
                + a.getPort() + "  (/metrics, /health)"));
        System.out.println("  data  " + config.dataDir().toAbsolutePath());
        System.out.println("  config  " + search.source());
        System.out.flush();
        warnIfRoot();
        Reloads reloads = Reloads.start(server, search);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            reloads.close();
            server.close();
            org.postwerk.log.BatchedStderrAppender.flushAll();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** One line on standard error; the stack trace only with --debug. */
    private int fail(Exception e, String line, int code) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("postwerk: " + line);
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /**
     * Issue 12: a mail server has no need of root once its ports are bound, and a compromise would own the
     * machine. The Debian package's unit runs it as {@code postwerk} with CAP_NET_BIND_SERVICE instead.
     */
    private static void warnIfRoot() {
        try {
            Object uid = java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:uid");
            if (Integer.valueOf(0).equals(uid)) {
                org.slf4j.LoggerFactory.getLogger(ServeCommand.class).warn("running as root: run it as an unprivileged "
                        + "user with CAP_NET_BIND_SERVICE for ports below 1024 (the postwerk.service unit does)");
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // not Linux: nothing to tell
        }
    }
}
