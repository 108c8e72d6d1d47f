package org.postwerk.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionIdsTest {
    @Test
    void idsDoNotRepeatAcrossRestartsAndStayShort() {
        long start = 1_767_225_600_000L; // 2026-01-01
        Set<String> seen = new HashSet<>();
        for (long run = 0; run < 20; run++) {
            // one run after another, each at least a tenth of a second later
            SessionIds ids = new SessionIds(start + run * 100 + (run % 3) * 7);
            for (int i = 0; i < 5_000; i++) {
                String id = ids.next();
                assertThat(seen.add(id)).as("id %s seen before", id).isTrue();
                assertThat(id).matches("[0-9a-z]{8,10}");
            }
        }
    }

    @Test
    void aLaterRunSortsLater() {
        assertThat(new SessionIds(1_767_225_600_100L).next()).isGreaterThan(new SessionIds(1_767_225_600_000L).next());
    }
}
