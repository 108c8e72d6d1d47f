package org.postwerk.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.postwerk.testkit.ManualClock;

/** The rule of {@link LoginBudget}, on a clock that moves only when told. */
class LoginBudgetTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T12:00:10Z"));
    private final LoginBudget budget = new LoginBudget(3, clock);

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void aSpentBudgetStopsOnlyClientsWhoseLastLoginFailed() throws Exception {
        budget.failed(ip("192.0.2.9"));
        budget.succeeded(ip("192.0.2.9")); // typed it wrong, then right
        budget.failed(ip("198.51.100.1"));
        assertThat(budget.admits(ip("198.51.100.1"))).as("two of three spent").isTrue();
        budget.failed(ip("198.51.100.2"));

        assertThat(budget.admits(ip("198.51.100.1"))).isFalse();
        assertThat(budget.admits(ip("198.51.100.2"))).isFalse();
        assertThat(budget.admits(ip("192.0.2.9"))).as("its last login succeeded").isTrue();
        assertThat(budget.admits(ip("203.0.113.5"))).as("never failed").isTrue();
    }

    @Test
    void theRefusalEndsWhenTheClockMinuteRollsOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            budget.failed(ip("198.51.100.1"));
        }
        clock.advance(Duration.ofSeconds(49)); // 12:00:59
        assertThat(budget.admits(ip("198.51.100.1"))).isFalse();
        clock.advance(Duration.ofSeconds(1)); // 12:01:00
        assertThat(budget.admits(ip("198.51.100.1"))).isTrue();
        budget.failed(ip("198.51.100.1"));
        assertThat(budget.admits(ip("198.51.100.1"))).as("one failure of this minute's three").isTrue();
    }

    @Test
    void aFailureMarksItsClientForFifteenMinutes() throws Exception {
        budget.failed(ip("198.51.100.1"));
        clock.advance(Duration.ofMinutes(14));
        for (int i = 0; i < 3; i++) {
            budget.failed(ip("203.0.113.5"));
        }
        assertThat(budget.admits(ip("198.51.100.1"))).isFalse();
        clock.advance(Duration.ofMinutes(1)); // a new minute: spend it again
        for (int i = 0; i < 3; i++) {
            budget.failed(ip("203.0.113.5"));
        }
        assertThat(budget.admits(ip("198.51.100.1"))).as("its failure is 15 minutes old").isTrue();
        assertThat(budget.admits(ip("203.0.113.5"))).isFalse();
    }

    @Test
    void anIpv6ClientIsItsSlash64() throws Exception {
        for (int i = 0; i < 3; i++) {
            budget.failed(ip("2001:db8:0:7::1"));
        }
        assertThat(budget.admits(ip("2001:db8:0:7::ffff"))).isFalse();
        assertThat(budget.admits(ip("2001:db8:0:8::1"))).isTrue();
    }
}
