package org.postwerk.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tomlj.TomlPosition;

/** Collects problems while one file is read, so the operator sees all of them at once. */
final class Problems {
    private final String source;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(String source) {
        this.source = source;
    }

    void add(TomlPosition position, String key, String message) {
        found.add(new ConfigProblem(source, position == null ? 0 : position.line(), key, message));
    }

    /** @throws ConfigException listing every problem in file order, when there is any */
    void throwIfAny() {
        if (!found.isEmpty()) {
            List<ConfigProblem> sorted = new ArrayList<>(found);
            sorted.sort(Comparator.comparingInt(ConfigProblem::line));
            throw new ConfigException(sorted);
        }
    }
}
