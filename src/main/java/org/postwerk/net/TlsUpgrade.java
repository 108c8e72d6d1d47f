package org.postwerk.net;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/** Turns a connected plain socket into a server-side TLS socket with the handshake done. */
@FunctionalInterface
public interface TlsUpgrade {
    SSLSocket wrap(Socket plain) throws IOException;

    /**
     * {@link #wrap} with the whole handshake, not just each read, bounded by {@code timeout}: a handshake trickled
     * in byte by byte restarts the socket timeout on every byte, so {@code watchdog} closes the socket at the end.
     */
    default SSLSocket wrap(Socket plain, Duration timeout, ScheduledExecutorService watchdog) throws IOException {
        plain.setSoTimeout((int) timeout.toMillis());
        ScheduledFuture<?> deadline = watchdog.schedule(() -> {
            try {
                plain.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return wrap(plain);
        } finally {
            deadline.cancel(false);
        }
    }
}
