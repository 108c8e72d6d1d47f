package org.postwerk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between packages point one way (STYLE.md, "Layout"): no package depends on another in a cycle.
 * The graph is read from the main sources as text: imports and fully-qualified names in code (comments and
 * string literals removed, so a {@code {@link}} is no dependency). The classes of the root package (Main,
 * Postwerk, Version) are nodes of their own: {@code Main -> cli -> Postwerk} is the intended shape, not a cycle.
 */
class PackageCyclesTest {
    private static final String ROOT = "org.postwerk";
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\borg\\.postwerk(?:\\s*\\.\\s*\\w+)+");

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(sources).as("the main sources, read from the project folder").hasSizeGreaterThan(100);
        Map<String, Set<String>> graph = graph(sources.values());
        assertThat(graph).containsKeys("org.postwerk.journal", "org.postwerk.store", "org.postwerk.Postwerk");

        assertThat(cycles(graph)).as("package cycles").isEmpty();
    }

    @Test
    void aCycleThroughAFullyQualifiedNameIsFound() {
        List<String> sources = List.of(
                "package org.postwerk.a;\nimport org.postwerk.b.B; // org.postwerk.c.C in a comment is none\nclass A {}",
                "package org.postwerk.b;\nclass B { Object o = new org.postwerk.a.A(); String s = \"org.postwerk.c.C\"; }",
                "package org.postwerk.c;\nclass C {}",
                "package org.postwerk;\nclass Main { Postwerk p; org.postwerk.c.C c; }",
                "package org.postwerk;\nclass Postwerk { }");

        Map<String, Set<String>> graph = graph(sources);

        assertThat(graph.get("org.postwerk.a")).containsExactly("org.postwerk.b");
        assertThat(graph.get("org.postwerk.b")).containsExactly("org.postwerk.a");
        assertThat(graph.get("org.postwerk.Main")).containsExactly("org.postwerk.Postwerk", "org.postwerk.c");
        assertThat(cycles(graph)).containsExactly(List.of("org.postwerk.a", "org.postwerk.b", "org.postwerk.a"));
    }

    /** Node (a package, or a class of the root package) to the nodes it refers to. */
    static Map<String, Set<String>> graph(Iterable<String> sources) {
        Map<String, String> code = new TreeMap<>(); // node -> code of its files, comments and strings removed
        Set<String> rootClasses = new TreeSet<>();
        for (String source : sources) {
            String stripped = strip(source);
            Matcher p = PACKAGE.matcher(stripped);
            String pkg = p.find() ? p.group(1) : "";
            String node = pkg;
            if (pkg.equals(ROOT)) {
                Matcher type = Pattern.compile("\\b(?:class|interface|record|enum)\\s+(\\w+)").matcher(stripped);
                node = ROOT + "." + (type.find() ? type.group(1) : "?");
                rootClasses.add(node);
            }
            code.merge(node, stripped, (a, b) -> a + "\n" + b);
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Map.Entry<String, String> e : code.entrySet()) {
            Set<String> to = new TreeSet<>();
            Matcher m = REFERENCE.matcher(e.getValue());
            while (m.find()) {
                String target = target(m.group().replaceAll("\\s", ""), code.keySet());
                if (target != null) {
                    to.add(target);
                }
            }
            if (rootClasses.contains(e.getKey())) { // the root package's classes see each other unqualified
                for (String other : rootClasses) {
                    String simple = other.substring(ROOT.length() + 1);
                    if (Pattern.compile("\\b" + simple + "\\b").matcher(e.getValue()).find()) {
                        to.add(other);
                    }
                }
            }
            to.remove(e.getKey());
            graph.put(e.getKey(), to);
        }
        return graph;
    }

    /** The node a qualified name refers to: its longest package that has sources, or a root-package class. */
    private static String target(String name, Set<String> nodes) {
        String[] parts = name.split("\\.");
        String best = null;
        StringBuilder prefix = new StringBuilder(ROOT);
        for (int i = 2; i < parts.length; i++) {
            String candidate = prefix + "." + parts[i];
            if (nodes.contains(candidate)) {
                best = candidate;
            }
            if (!Character.isLowerCase(parts[i].charAt(0))) {
                break; // a class: what follows is a member
            }
            prefix.append('.').append(parts[i]);
        }
        return best;
    }

    /** One cycle per strongly connected group of nodes, as a path that ends where it starts. */
    static List<List<String>> cycles(Map<String, Set<String>> graph) {
        List<List<String>> found = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : graph.keySet()) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> path = pathBack(graph, start);
            if (path != null) {
                reported.addAll(path);
                found.add(path);
            }
        }
        return found;
    }

    /** A shortest path from {@code start} back to itself (breadth first), or null. */
    private static List<String> pathBack(Map<String, Set<String>> graph, String start) {
        Map<String, String> parent = new TreeMap<>();
        List<String> frontier = List.of(start);
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String n : frontier) {
                for (String t : graph.getOrDefault(n, Set.of())) {
                    if (t.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String s = n; !s.equals(start); s = parent.get(s)) {
                            path.add(1, s);
                        }
                        path.add(start);
                        return path;
                    }
                    if (!parent.containsKey(t)) {
                        parent.put(t, n);
                        next.add(t);
                    }
                }
            }
            frontier = next;
        }
        return null;
    }

    /** The source with comments, string, text-block and character literals blanked out. */
    static String strip(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                i = skipTo(s, i, "\n");
            } else if (s.startsWith("/*", i)) {
                i = skipTo(s, i + 2, "*/");
            } else if (s.startsWith("\"\"\"", i)) {
                i = skipTo(s, i + 3, "\"\"\"");
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i = endOfLiteral(s, i, c);
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int skipTo(String s, int from, String end) {
        int at = s.indexOf(end, from);
        return at < 0 ? s.length() : at + end.length();
    }

    private static int endOfLiteral(String s, int start, char quote) {
        int i = start + 1;
        while (i < s.length() && s.charAt(i) != quote) {
            i += s.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }
}
