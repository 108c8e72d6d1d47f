package org.postwerk.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserSlotsTest {
    @Test
    void aUserGetsAtMostItsSlotsAndGetsThemBack() {
        UserSlots slots = new UserSlots(2);
        assertThat(slots.tryEnter("a@example.org")).isTrue();
        assertThat(slots.tryEnter("a@example.org")).isTrue();
        assertThat(slots.tryEnter("a@example.org")).isFalse();
        assertThat(slots.tryEnter("b@example.org")).isTrue(); // another user is not affected
        slots.exit("a@example.org");
        assertThat(slots.open("a@example.org")).isEqualTo(1);
        assertThat(slots.tryEnter("a@example.org")).isTrue();
        slots.exit("a@example.org");
        slots.exit("a@example.org");
        assertThat(slots.open("a@example.org")).isZero();
    }
}
