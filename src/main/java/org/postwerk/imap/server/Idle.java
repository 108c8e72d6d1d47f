package org.postwerk.imap.server;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.postwerk.imap.CommandReader;
import org.postwerk.imap.ReadOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IDLE (RFC 2177, RFC 9051 §6.3.13): the session's thread waits for the client's DONE while a second virtual
 * thread waits for the selected folder to change and sends the updates at once. A delivery by this process
 * wakes it immediately; other programs' deliveries are looked for every {@link #POLL}.
 */
final class Idle {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    static final Duration POLL = Duration.ofSeconds(10);

    private final ImapSession session;
    private final ImapOutput out;
    private final CommandReader reader;
    private final Socket socket;
    private final Duration timeout;
    private volatile boolean done;

    Idle(ImapSession session, ImapOutput out, CommandReader reader, Socket socket, Duration timeout) {
        this.session = session;
        this.out = out;
        this.reader = reader;
        this.socket = socket;
        this.timeout = timeout;
    }

    ImapSession.Reply run(String tag) throws IOException {
        Selection sel = session.selected();
        // Taken before the last report: a delivery from here on wakes the watcher, however late it starts.
        long version = sel == null ? 0 : sel.folder.state().version();
        if (sel != null) {
            sel.report(out, true, session.options());
        }
        out.continuation("idling");
        out.flush();
        Thread watcher = sel == null ? null
                : Thread.ofVirtual().name("idle-" + session.sessionId()).start(() -> watch(sel, version));
        ReadOutcome r;
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            r = reader.readLine();
        } finally {
            done = true;
            if (watcher != null) {
                watcher.interrupt();
                try {
                    watcher.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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

    private void watch(Selection sel, long version) {
        var state = sel.folder.state();
        long seen = version;
        while (!done) {
            try {
                state.awaitVersion(seen, POLL.toNanos());
            } catch (InterruptedException e) {
                return;
            }
            seen = state.version();
            if (done) {
                return;
            }
            out.lock();
            try {
                sel.report(out, true, session.options());
                out.flush();
            } catch (IOException e) {
                LOG.debug("session={} idle update failed: {}", session.sessionId(), e.toString());
                return; // the reading thread sees the broken connection too
            } catch (RuntimeException e) {
                LOG.error("session={} idle update failed", session.sessionId(), e);
                return;
            } finally {
                out.unlock();
            }
        }
    }
}
