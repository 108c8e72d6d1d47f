package org.postwerk.imap.server;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postwerk.imap.CommandReader;
import org.postwerk.imap.ReadOutcome;
import org.postwerk.mailbox.FolderState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): the session's thread waits for the client's DONE; changes to the selected
 * folder are sent at once by a short-lived virtual thread started when the folder says it changed (a delivery
 * by this process), or every {@link #POLL} to look for other programs' deliveries. No thread waits for changes
 * while nothing happens: ten thousand idling clients cost one parked thread each, not two.
 */
final class Idle {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    static final Duration POLL = Duration.ofSeconds(10);

    /** One timer for all IDLE sessions of the process; it only starts the reporting threads. */
    private static final ScheduledThreadPoolExecutor POLLER = poller();

    private final ImapSession session;
    private final ImapOutput out;
    private final CommandReader reader;
    private final Socket socket;
    private final Duration timeout;
    private final AtomicBoolean reporting = new AtomicBoolean();
    private volatile boolean done;
    private Selection selection;

    Idle(ImapSession session, ImapOutput out, CommandReader reader, Socket socket, Duration timeout) {
        this.session = session;
        this.out = out;
        this.reader = reader;
        this.socket = socket;
        this.timeout = timeout;
    }

    ImapSession.Reply run(String tag) throws IOException {
        selection = session.selected();
        // Watching starts before the last report: a change from here on is reported, however late it comes.
        FolderState.Watch watch = selection == null ? null : selection.folder.state().watch(this::wake);
        ScheduledFuture<?> poll = selection == null ? null
                : POLLER.scheduleWithFixedDelay(this::wake, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        ReadOutcome r;
        try {
            out.lock(); // a report woken already waits until this one is sent
            try {
                if (selection != null) {
                    selection.report(out, true, session.options());
                }
                out.continuation("idling");
                out.flush();
            } finally {
                out.unlock();
            }
            socket.setSoTimeout((int) timeout.toMillis());
            r = reader.readLine();
        } finally {
            done = true;
            if (watch != null) {
                watch.close();
                poll.cancel(false);
            }
            // A report in progress finishes before the session goes on (it holds the output's lock for all of
            // it, and none starts once done is set): the selection is the session's again.
            out.lock();
            out.unlock();
        }
        if (r instanceof ReadOutcome.Eof) {
            throw new EOFException();
        }
        if (r instanceof ReadOutcome.Ready ready) {
            String line = new String(ready.command().lines().get(0), StandardCharsets.US_ASCII).strip();
            if (line.equalsIgnoreCase("DONE")) {
                return ImapSession.Reply.ok("IDLE terminated");
            }
        }
        return ImapSession.Reply.bad("Expected DONE");
    }

    /** The folder changed, or it is time to look: one reporting thread at a time (changes coalesce). */
    private void wake() {
        if (!done && reporting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("idle-" + session.sessionId()).start(this::report);
        }
    }

    private void report() {
        out.lock();
        try {
            reporting.set(false); // a change from now on starts another report (which may find nothing new)
            if (done) {
                return;
            }
            selection.report(out, true, session.options());
            out.flush();
        } catch (IOException e) {
            LOG.debug("session={} idle update failed: {}", session.sessionId(), e.toString());
            // the reading thread sees the broken connection too
        } catch (RuntimeException e) {
            LOG.error("session={} idle update failed", session.sessionId(), e);
        } finally {
            out.unlock();
        }
    }

    private static ScheduledThreadPoolExecutor poller() {
        ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "imap-idle-poll");
            t.setDaemon(true);
            return t;
        });
        p.setRemoveOnCancelPolicy(true); // sessions leave IDLE all the time: cancelled polls must not pile up
        return p;
    }
}
