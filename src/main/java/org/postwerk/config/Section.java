package org.postwerk.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Typed reading of one TOML table. Every accessor records its key as known, so {@link #finish} can report the
 * keys nobody asked for: a typo must never be silently ignored. A missing key yields the default; a wrong one
 * is reported (with its line) and also yields the default, so reading goes on and finds the other problems.
 */
final class Section {
    private final TomlTable table;
    private final String path;
    private final TomlPosition position;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();
    private final List<Section> children = new ArrayList<>();

    Section(TomlTable table, String path, TomlPosition position, Problems problems) {
        this.table = table;
        this.path = path;
        this.position = position;
        this.problems = problems;
    }

    /** The dotted key shown in messages, e.g. {@code limits.recipients}. */
    String key(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Where {@code name} is set, or where this table starts when it is not. */
    TomlPosition positionOf(String name) {
        return table.contains(List.of(name)) ? table.inputPositionOf(List.of(name)) : position;
    }

    void problem(String name, String message) {
        problems.add(positionOf(name), key(name), message);
    }

    void problemAt(TomlPosition at, String name, String message) {
        problems.add(at, key(name), message);
    }

    boolean has(String name) {
        known.add(name);
        return table.contains(List.of(name));
    }

    Optional<String> string(String name) {
        return typed(name, String.class, "a string");
    }

    boolean bool(String name, boolean dflt) {
        return typed(name, Boolean.class, "true or false").orElse(dflt);
    }

    /** An integer within {@code [min, max]}. */
    long integer(String name, long dflt, long min, long max) {
        Optional<Long> value = typed(name, Long.class, "an integer");
        if (value.isPresent() && (value.get() < min || value.get() > max)) {
            problem(name, "must be between " + min + " and " + max + ", got " + value.get());
            return dflt;
        }
        return value.orElse(dflt);
    }

    int integer(String name, int dflt, int min, int max) {
        return (int) integer(name, (long) dflt, min, max);
    }

    /** A string turned into a value by {@code parser}, whose {@link IllegalArgumentException} is the problem. */
    <T> Optional<T> parsed(String name, Function<String, T> parser) {
        return string(name).flatMap(s -> parse(positionOf(name), name, s, parser));
    }

    /** A byte size: a TOML integer or a string such as {@code "50MiB"}, within {@code [1, max]}. */
    long size(String name, long dflt, long max) {
        Object raw = raw(name);
        Optional<Long> value = Optional.empty();
        if (raw instanceof Long l) {
            value = Optional.of(l);
        } else if (raw instanceof String s) {
            value = parse(positionOf(name), name, s, Sizes::parse);
        } else if (raw != null) {
            problem(name, "must be a size such as 1048576 or \"10MiB\", got " + describe(raw));
        }
        if (value.isPresent() && (value.get() < 1 || value.get() > max)) {
            problem(name, "must be between 1 byte and " + Sizes.format(max) + ", got " + value.get());
            return dflt;
        }
        return value.orElse(dflt);
    }

    /** A duration string within {@code [min, max]}. */
    Duration duration(String name, Duration dflt, Duration min, Duration max) {
        Optional<Duration> value = durationIfSet(name, min, max);
        return value.orElse(dflt);
    }

    Optional<Duration> durationIfSet(String name, Duration min, Duration max) {
        Optional<Duration> value = parsed(name, Durations::parse);
        if (value.isPresent() && (value.get().compareTo(min) < 0 || value.get().compareTo(max) > 0)) {
            problem(name, "must be between " + Durations.format(min) + " and " + Durations.format(max) + ", got "
                    + (value.get().isNegative() ? value.get() : Durations.format(value.get())));
            return Optional.empty();
        }
        return value;
    }

    /**
     * An array of strings, each parsed; each bad element is reported at its own line. Empty when absent or when
     * any element is bad, so that checks across keys do not build on a half-read list.
     */
    <T> Optional<List<T>> list(String name, Function<String, T> parser) {
        Optional<TomlArray> array = typed(name, TomlArray.class, "an array of strings");
        if (array.isEmpty()) {
            return Optional.empty();
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < array.get().size(); i++) {
            Object element = array.get().get(i);
            TomlPosition at = problems.elementStart(array.get().inputPositionOf(i));
            if (element instanceof String s) {
                parse(at, name, s, parser).ifPresent(out::add);
            } else {
                problemAt(at, name, "must be an array of strings, got " + describe(element) + " in it");
            }
        }
        return out.size() == array.get().size() ? Optional.of(out) : Optional.empty();
    }

    /**
     * A sub-table ({@code [limits]}, also written {@code limits = { ... }}); an empty one when absent or wrong,
     * so that reading it yields the defaults.
     */
    Section table(String name) {
        return typed(name, TomlTable.class, "a table ([" + key(name) + "])")
                .map(t -> child(t, key(name), positionOf(name)))
                .orElseGet(() -> new Section(Toml.parse(""), key(name), position, problems));
    }

    /** An array of tables ({@code [[listener]]}); empty when absent. */
    Optional<List<Section>> tables(String name) {
        Object raw = raw(name);
        if (raw == null) {
            return Optional.empty();
        }
        if (!(raw instanceof TomlArray array) || !array.toList().stream().allMatch(TomlTable.class::isInstance)) {
            problem(name, "must be an array of tables ([[" + key(name) + "]]), got " + describe(raw));
            return Optional.empty();
        }
        List<Section> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            out.add(child(array.getTable(i), key(name), array.inputPositionOf(i)));
        }
        return Optional.of(out);
    }

    /** Where this table starts. */
    TomlPosition position() {
        return position;
    }

    /** Reports every key of this table and its sub-tables that no accessor asked for. */
    void finish() {
        for (String name : table.keySet()) {
            if (!known.contains(name)) {
                String what = table.get(List.of(name)) instanceof TomlTable ? "unknown section" : "unknown key";
                problem(name, what + Suggestions.closest(name, known).map(s -> "; did you mean \"" + s + "\"?")
                        .orElse(""));
            }
        }
        children.forEach(Section::finish);
    }

    private Section child(TomlTable t, String childPath, TomlPosition at) {
        Section child = new Section(t, childPath, at, problems);
        children.add(child);
        return child;
    }

    private Object raw(String name) {
        known.add(name);
        return table.get(List.of(name));
    }

    private <T> Optional<T> typed(String name, Class<T> type, String expected) {
        Object raw = raw(name);
        if (raw == null) {
            return Optional.empty();
        }
        if (!type.isInstance(raw)) {
            problem(name, "must be " + expected + ", got " + describe(raw));
            return Optional.empty();
        }
        return Optional.of(type.cast(raw));
    }

    private <T> Optional<T> parse(TomlPosition at, String name, String text, Function<String, T> parser) {
        try {
            return Optional.of(parser.apply(text));
        } catch (IllegalArgumentException e) {
            problemAt(at, name, e.getMessage());
            return Optional.empty();
        }
    }

    /** A TOML value as the operator wrote it, for "got ..." in messages. */
    static String describe(Object value) {
        return switch (value) {
            case String s -> "string \"" + s + "\"";
            case Long l -> "integer " + l;
            case Double d -> "float " + d;
            case Boolean b -> "boolean " + b;
            case TomlArray a -> "an array";
            case TomlTable t -> "a table";
            default -> "date/time " + value;
        };
    }
}
