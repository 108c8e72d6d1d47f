package org.postwerk.service;

import java.util.List;

/** What a reload did: applied (with what it opened, closed, or left for a restart), or refused whole. */
public sealed interface ReloadOutcome {
    /** One line for the log and the {@code reload} command. */
    String summary();

    record Applied(List<String> notes) implements ReloadOutcome {
        @Override
        public String summary() {
            return "ok: configuration reloaded" + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        }
    }

    record Refused(List<String> problems) implements ReloadOutcome {
        @Override
        public String summary() {
            return "refused, the running configuration stays: " + String.join("; ", problems);
        }
    }
}
