package org.postwerk.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postwerk.Postwerk;
import org.postwerk.config.ConfigException;
import org.postwerk.config.ConfigProblem;
import org.postwerk.service.ReloadOutcome;
import org.postwerk.service.ReloadRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes a running server reload: SIGHUP (the reflex of every Postfix administrator, which the JVM would
 * otherwise take as a reason to exit) and {@code postwerk reload} through {@link ReloadRequests}. Reloads run
 * one at a time on their own thread; the configuration is found again the way the start found it.
 *
 * <p>The signal goes through {@code sun.misc.Signal} (module {@code jdk.unsupported}): the JDK has no supported
 * API for signals, the class has been kept for this use since JDK 9 (JEP 260), and it runs our handler on a
 * Java thread, where FFM and {@code sigaction} would run it on whatever thread the kernel interrupts.
 */
final class Reloads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reloads.class);

    private final Postwerk server;
    private final ConfigSearch search;
    private final ReloadRequests requests;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> thread(r, "reload"));
    private final ScheduledExecutorService poll = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "reload-requests"));

    private Reloads(Postwerk server, ConfigSearch search) {
        this.server = server;
        this.search = search;
        this.requests = new ReloadRequests(server.config().dataDir());
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static Reloads start(Postwerk server, ConfigSearch search) {
        Reloads r = new Reloads(server, search);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> r.worker.execute(() -> r.reload("SIGHUP")));
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled here ({}): use postwerk reload", e.getMessage()); // e.g. java -Xrs
        }
        r.poll.scheduleWithFixedDelay(r::answerRequests, 500, 500, TimeUnit.MILLISECONDS);
        return r;
    }

    private void answerRequests() {
        try {
            List<String> pending = requests.pending();
            if (!pending.isEmpty()) {
                String answer = worker.submit(() -> reload("postwerk reload")).get();
                for (String name : pending) { // requests that came together share one reload
                    requests.answer(name, answer);
                }
            }
        } catch (IOException | java.util.concurrent.ExecutionException e) {
            LOG.warn("reload requests: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the configuration again and puts it in force, or logs why not; returns the outcome's line. */
    private String reload(String why) {
        ReloadOutcome outcome;
        try {
            outcome = server.reload(search.server());
        } catch (ConfigException e) {
            outcome = new ReloadOutcome.Refused(e.problems().stream().map(ConfigProblem::toString).toList());
        }
        switch (outcome) {
            case ReloadOutcome.Applied a -> {
                LOG.info("event=reload trigger=\"{}\" result=applied", why);
                a.notes().forEach(n -> LOG.info("event=reload {}", n));
            }
            case ReloadOutcome.Refused r -> {
                LOG.warn("event=reload trigger=\"{}\" result=refused (the running configuration stays)", why);
                r.problems().forEach(p -> LOG.warn("event=reload problem=\"{}\"", p));
            }
        }
        return outcome.summary();
    }

    @Override
    public void close() {
        poll.shutdownNow();
        worker.shutdownNow();
    }
}
