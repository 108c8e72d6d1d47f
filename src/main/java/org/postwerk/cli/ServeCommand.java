package org.postwerk.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.postwerk.Postwerk;
import org.postwerk.Version;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigException;
import org.postwerk.log.LogSetup;
import org.postwerk.net.Listener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code postwerk serve}: runs the server until SIGTERM/SIGINT, then shuts down in order. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the mail server (embedded defaults without --config).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        Config config;
        try {
            config = configOptions.load();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        try {
            LogSetup.apply(LogSetup.resolve(config.log(), System.getenv()));
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return 74; // EX_IOERR
        }
        LogSetup.reopenOnSignal();
        Postwerk server = Postwerk.start(config);
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
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            org.postwerk.log.BatchedStderrAppender.flushAll();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
