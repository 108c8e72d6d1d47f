package org.postwerk.ops;

import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Readiness as named checks ("listeners", "journal", "queue"), each asked afresh on every request. Liveness needs
 * no check: a process that answers HTTP is alive.
 */
public record Health(List<Check> checks) {
    /** One condition of readiness; {@code ok} must be cheap and must not block. */
    public record Check(String name, BooleanSupplier ok) {
        public Check {
            Objects.requireNonNull(name);
            Objects.requireNonNull(ok);
        }
    }

    public Health {
        checks = List.copyOf(checks);
    }

    /** {@code {"status":"ready","checks":{"journal":true,...}}}; ready when every check passes. */
    Report report() {
        StringBuilder json = new StringBuilder("{\"checks\":{");
        boolean ready = true;
        for (int i = 0; i < checks.size(); i++) {
            boolean ok;
            try {
                ok = checks.get(i).ok().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false; // a check that fails to answer is a failed check
            }
            ready &= ok;
            json.append(i == 0 ? "" : ",").append('"').append(checks.get(i).name()).append("\":").append(ok);
        }
        json.append("},\"status\":\"").append(ready ? "ready" : "not ready").append("\"}\n");
        return new Report(ready, json.toString());
    }

    record Report(boolean ready, String json) {}
}
