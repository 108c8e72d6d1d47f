package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.postwerk.config.Timeouts;

/** The timeout of each read, on a made-up clock (nanoseconds from 0): normal, under stress, at the session's end. */
class ReadDeadlinesTest {
    private static final long S = 1_000_000_000L;
    private final AtomicBoolean stressed = new AtomicBoolean();
    private final ReadDeadlines d = new ReadDeadlines(new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(30),
            Duration.ofSeconds(100), Duration.ofSeconds(10), Duration.ofSeconds(5)), stressed::get, 0);

    @Test
    void aCommandLineHasTheCommandTimeoutAsAWhole() throws Exception {
        d.startLine(0);
        assertThat(d.nextRead(0, false)).isEqualTo(60_000);
        assertThat(d.nextRead(20 * S, false)).isEqualTo(40_000);
        stressed.set(true); // for reads from now on, sessions open before included
        assertThat(d.nextRead(5 * S, false)).isEqualTo(5_000);
        assertThatThrownBy(() -> d.nextRead(20 * S, false)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void messageDataHasTheDataBlockTimeoutPerRead() throws Exception {
        assertThat(d.nextRead(10 * S, true)).isEqualTo(30_000);
        assertThat(d.nextRead(35 * S, true)).isEqualTo(30_000);
        stressed.set(true); // 26 s of DATA and nothing came: far below 500 bytes/s
        assertThatThrownBy(() -> d.nextRead(36 * S, true)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void underStressDataMustKeepComingAt500BytesPerSecond() throws Exception {
        stressed.set(true);
        InputStream in = d.watch(new ByteArrayInputStream(new byte[2000]));
        assertThat(d.nextRead(0, true)).isEqualTo(5_000);
        assertThat(d.nextRead(3 * S, true)).isEqualTo(2_000); // nothing came: 5 s after the start at most
        in.read(new byte[1000]);
        assertThat(d.nextRead(4 * S, true)).isEqualTo(3_000); // 1000 bytes buy 2 s more: 7 s after the start
        in.read(new byte[1000]);
        assertThat(d.nextRead(4 * S, true)).isEqualTo(5_000); // 9 s after the start, the per-read 5 s is nearer
        assertThat(d.nextRead(0, false)).isPositive(); // a command line in between
        assertThat(d.nextRead(8 * S, true)).isEqualTo(5_000); // a new data phase starts its own count
    }

    @Test
    void theSessionDeadlineBoundsEveryRead() throws Exception {
        d.startLine(90 * S);
        assertThat(d.nextRead(90 * S, false)).isEqualTo(10_000);
        assertThatThrownBy(() -> d.nextRead(100 * S, true)).isInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void overdueOnlyWhileAReadWaits() throws Exception {
        d.startLine(0);
        d.nextRead(0, false);
        assertThat(d.overdue(11 * S)).isFalse(); // no read is waiting
        assertThat(d.handshakeMillis()).isEqualTo(60_000);
        stressed.set(true);
        assertThat(d.handshakeMillis()).isEqualTo(10_000);
    }
}
