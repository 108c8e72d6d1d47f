package org.postwerk.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used, with every problem found (not only the first), one per message line. */
public final class ConfigException extends RuntimeException {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
