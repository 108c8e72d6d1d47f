package org.postwerk.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for unknown keys: the closest known key by edit distance, if it is close enough. */
final class Suggestions {
    private Suggestions() {}

    static Optional<String> closest(String unknown, Collection<String> known) {
        String u = fold(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(u, fold(k));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        // Close enough: a couple of typos, or more for long keys; "maxlife" for "max_lifetime" by prefix.
        boolean close = bestDistance <= Math.max(2, u.length() / 4)
                || (best != null && u.length() >= 4 && fold(best).startsWith(u));
        return close ? Optional.of(best) : Optional.empty();
    }

    /** Case, '-' and '_' do not count: "messageSize" and "message-size" both mean "message_size". */
    private static String fold(String key) {
        return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
