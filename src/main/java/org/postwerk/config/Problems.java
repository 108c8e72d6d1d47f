package org.postwerk.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.tomlj.TomlPosition;

/** Collects problems while one file is read, so the operator sees all of them at once. */
final class Problems {
    private final String source;
    private final List<String> lines;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(String source, String text) {
        this.source = source;
        this.lines = text.lines().toList();
    }

    /**
     * Where an array element really starts. tomlj 1.1.1 places an element where the blank space before it
     * begins (after the previous comma, possibly on the line before), so skip blanks, newlines and comments.
     */
    TomlPosition elementStart(TomlPosition reported) {
        int line = reported.line() - 1;
        int column = reported.column() - 1;
        while (line < lines.size()) {
            String text = lines.get(line);
            while (column < text.length() && (text.charAt(column) == ' ' || text.charAt(column) == '\t')) {
                column++;
            }
            if (column < text.length() && text.charAt(column) != '#') {
                return TomlPosition.positionAt(line + 1, column + 1);
            }
            line++;
            column = 0;
        }
        return reported;
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
