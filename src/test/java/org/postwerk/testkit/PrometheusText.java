package org.postwerk.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every line is a {@code # HELP},
 * a {@code # TYPE} or a sample; a family's TYPE comes before its samples and only once; sample names belong to
 * their family (with {@code _bucket}, {@code _sum}, {@code _count} for histograms and summaries); label names
 * and escapes are checked; no series appears twice; a histogram's buckets are cumulative, end with
 * {@code le="+Inf"}, and that bucket equals {@code _count}. Anything else throws.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One series: name and labels (sorted by name), and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, Sample> samples = new LinkedHashMap<>();

    private PrometheusText() {}

    public static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line must end with a line feed");
        }
        String[] lines = text.split("\n", -1);
        Map<String, String> help = new TreeMap<>();
        String family = null;
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            try {
                if (line.startsWith("# HELP ")) {
                    String[] parts = line.substring(7).split(" ", 2);
                    name(parts[0]);
                    if (help.put(parts[0], parts.length > 1 ? parts[1] : "") != null) {
                        throw new IllegalArgumentException("second HELP for " + parts[0]);
                    }
                } else if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    if (parts.length != 2 || !TYPES.contains(parts[1])) {
                        throw new IllegalArgumentException("bad TYPE line");
                    }
                    name(parts[0]);
                    if (p.types.put(parts[0], parts[1]) != null) {
                        throw new IllegalArgumentException("second TYPE for " + parts[0]);
                    }
                    family = parts[0];
                } else if (line.startsWith("#") || line.isBlank()) {
                    continue; // a comment
                } else {
                    p.sample(line, family);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        p.checkHistograms();
        return p;
    }

    private static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name \"" + name + "\"");
        }
        return name;
    }

    private void sample(String line, String family) {
        Matcher m = NAME.matcher(line);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = m.group();
        int at = m.end();
        Map<String, String> labels = new TreeMap<>();
        if (at < line.length() && line.charAt(at) == '{') {
            at = labels(line, at + 1, labels);
        }
        if (at >= line.length() || line.charAt(at) != ' ') {
            throw new IllegalArgumentException("no space before the value");
        }
        String[] rest = line.substring(at + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("too many fields");
        }
        double value = value(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]); // a timestamp in milliseconds
        }
        if (family == null || !belongs(name, family, types.get(family))) {
            throw new IllegalArgumentException(name + " outside its family's TYPE (" + family + ")");
        }
        String key = name + labels;
        if (samples.put(key, new Sample(name, labels, value)) != null) {
            throw new IllegalArgumentException("series twice: " + key);
        }
    }

    private static boolean belongs(String name, String family, String type) {
        return switch (type) {
            case "histogram" -> name.equals(family + "_bucket") || name.equals(family + "_sum")
                    || name.equals(family + "_count");
            case "summary" -> name.equals(family) || name.equals(family + "_sum") || name.equals(family + "_count");
            default -> name.equals(family);
        };
    }

    /** Reads {@code a="x",b="y"}} from {@code at}; returns the index after the closing brace. */
    private static int labels(String line, int at, Map<String, String> labels) {
        while (true) {
            if (line.charAt(at) == '}') {
                return at + 1;
            }
            Matcher m = LABEL.matcher(line).region(at, line.length());
            if (!m.lookingAt() || line.charAt(m.end()) != '=' || line.charAt(m.end() + 1) != '"') {
                throw new IllegalArgumentException("bad label at column " + at);
            }
            StringBuilder value = new StringBuilder();
            int i = m.end() + 2;
            for (; line.charAt(i) != '"'; i++) {
                char c = line.charAt(i);
                if (c == '\\') {
                    char e = line.charAt(++i);
                    value.append(switch (e) {
                        case '\\' -> '\\';
                        case '"' -> '"';
                        case 'n' -> '\n';
                        default -> throw new IllegalArgumentException("bad escape \\" + e);
                    });
                } else {
                    value.append(c);
                }
            }
            if (labels.put(m.group(), value.toString()) != null) {
                throw new IllegalArgumentException("label twice: " + m.group());
            }
            at = i + 1;
            if (line.charAt(at) == ',') {
                at++;
            } else if (line.charAt(at) != '}') {
                throw new IllegalArgumentException("expected , or } at column " + at);
            }
        }
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> series = new LinkedHashMap<>();
            for (Sample s : samples.values()) {
                if (s.name().equals(family + "_bucket")) {
                    Map<String, String> rest = new TreeMap<>(s.labels());
                    rest.remove("le");
                    series.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
                }
            }
            series.forEach((labels, buckets) -> {
                double last = 0;
                double le = Double.NEGATIVE_INFINITY;
                for (Sample b : buckets) {
                    double bound = value(b.labels().get("le"));
                    if (bound <= le || b.value() < last) {
                        throw new IllegalArgumentException(family + labels + ": buckets not cumulative");
                    }
                    le = bound;
                    last = b.value();
                }
                if (le != Double.POSITIVE_INFINITY) {
                    throw new IllegalArgumentException(family + labels + ": no le=\"+Inf\" bucket");
                }
                double count = value(family + "_count", labels).orElseThrow(() ->
                        new IllegalArgumentException(family + labels + ": no _count"));
                if (count != last) {
                    throw new IllegalArgumentException(family + labels + ": +Inf bucket " + last + " != count " + count);
                }
            });
        });
    }

    /** The family's TYPE, if declared. */
    public Optional<String> type(String family) {
        return Optional.ofNullable(types.get(family));
    }

    /** The value of the one series with this name and exactly these labels. */
    public Optional<Double> value(String name, Map<String, String> labels) {
        Sample s = samples.get(name + new TreeMap<>(labels));
        return Optional.ofNullable(s).map(Sample::value);
    }

    /** The sum over every series of {@code name} whose labels include {@code match}; 0 when none. */
    public double sum(String name, Map<String, String> match) {
        return samples.values().stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(match.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    /** Every series of {@code name}. */
    public List<Sample> series(String name) {
        return samples.values().stream().filter(s -> s.name().equals(name)).toList();
    }
}
