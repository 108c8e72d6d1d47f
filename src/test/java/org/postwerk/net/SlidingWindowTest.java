package org.postwerk.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postwerk.testkit.ManualClock;

class SlidingWindowTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void aBurstStopsAtExactlyTheLimit() {
        SlidingWindow<String> w = new SlidingWindow<>(Duration.ofHours(1), 10, clock);
        int taken = 0;
        for (int i = 0; i < 50; i++) {
            taken += w.tryAcquire("alice", 20) ? 1 : 0;
        }
        assertThat(taken).isEqualTo(20);
        assertThat(w.count("alice")).isEqualTo(20);
        assertThat(w.tryAcquire("bob", 20)).isTrue(); // keys are counted apart
    }

    @Test
    void theWindowSlidesRatherThanResettingAtItsBoundary() {
        SlidingWindow<String> w = new SlidingWindow<>(Duration.ofMinutes(10), 10, clock);
        clock.advance(Duration.ofMinutes(9)); // late in a fixed window
        for (int i = 0; i < 10; i++) {
            assertThat(w.tryAcquire("k", 10)).isTrue();
        }
        clock.advance(Duration.ofMinutes(2)); // a fixed-window counter would allow 10 more here
        assertThat(w.count("k")).isEqualTo(9); // 10 weighted by the 9 of 10 minutes of theirs still in the window
        assertThat(w.tryAcquire("k", 10)).isTrue();
        assertThat(w.tryAcquire("k", 10)).isFalse();
        clock.advance(Duration.ofMinutes(19)); // 30 minutes on: all of it has slid out
        assertThat(w.count("k")).isZero();
        assertThat(w.tryAcquire("k", 10)).isTrue();
    }

    @Test
    void aRefusedEventIsNotCounted() {
        SlidingWindow<String> w = new SlidingWindow<>(Duration.ofMinutes(1), 10, clock);
        assertThat(w.tryAcquire("k", 1)).isTrue();
        assertThat(w.allows("k", 1)).isFalse();
        assertThat(w.tryAcquire("k", 1)).isFalse();
        assertThat(w.count("k")).isEqualTo(1);
        assertThat(w.allows("other", 1)).isTrue();
    }

    @Test
    void idleKeysAreDroppedSoMemoryStaysBounded() {
        SlidingWindow<Integer> w = new SlidingWindow<>(Duration.ofMinutes(1), 100, clock);
        for (int i = 0; i < 100; i++) {
            w.add(i);
        }
        assertThat(w.size()).isEqualTo(100);
        assertThat(w.tryAcquire(1000, 1)).isTrue(); // full and nothing idle: not tracked, allowed
        assertThat(w.size()).isEqualTo(100);
        assertThat(w.count(1000)).isZero();
        clock.advance(Duration.ofMinutes(3));
        assertThat(w.tryAcquire(1000, 1)).isTrue();
        assertThat(w.size()).isEqualTo(1); // the idle ones made room
        assertThat(w.tryAcquire(1000, 1)).isFalse();
    }
}
