package org.postwerk.mime;

import java.util.Locale;

/**
 * The base subject of RFC 5256 §2.1, for SORT SUBJECT and THREAD: encoded words decoded, white space collapsed,
 * then "(fwd)" trailers, "Re:" / "Fw:" / "Fwd:" leaders with their "[blob]"s, leading blobs and a "[fwd: ...]"
 * wrapper removed until nothing changes. {@code replyOrForward} says whether any of those were removed (the
 * REFERENCES algorithm, step 6, prefers the original message's subject). {@code key} is the form compared
 * (i;unicode-casemap, see {@link SearchText#fold}), computed once.
 */
public record BaseSubject(String text, String key, boolean replyOrForward) {

    public BaseSubject(String text, boolean replyOrForward) {
        this(text, SearchText.fold(text), replyOrForward);
    }

    public static BaseSubject of(String rawSubject) {
        if (rawSubject == null) {
            return new BaseSubject("", false);
        }
        // (1) decode encoded words, turn tabs and line breaks into spaces, collapse runs of spaces.
        String s = HeaderText.decode(rawSubject).replaceAll("[\\t\\r\\n ]+", " ");
        boolean reply = false;
        while (true) {
            // (2) remove "(fwd)" trailers and trailing white space.
            while (true) {
                s = s.stripTrailing();
                if (s.toLowerCase(Locale.ROOT).endsWith("(fwd)")) {
                    s = s.substring(0, s.length() - 5);
                    reply = true;
                } else {
                    break;
                }
            }
            // (3)-(5) remove leaders, then a leading blob if something remains, until nothing changes.
            boolean changed = true;
            while (changed) {
                changed = false;
                String t;
                while (!(t = removeLeader(s)).equals(s)) {
                    reply |= !t.equals(s.stripLeading());
                    s = t;
                    changed = true;
                }
                int blob = blobEnd(s, 0);
                if (blob > 0 && blob < s.length()) {
                    s = s.substring(blob);
                    changed = true;
                }
            }
            // (6) "[fwd: subject]": unwrap and start again at (2).
            if (s.length() >= 6 && s.substring(0, 5).equalsIgnoreCase("[fwd:") && s.endsWith("]")) {
                s = s.substring(5, s.length() - 1);
                reply = true;
                continue;
            }
            return new BaseSubject(s, reply);
        }
    }

    /** subj-leader = (*subj-blob subj-refwd) / WSP; returns s without one leader, or s itself. */
    private static String removeLeader(String s) {
        if (!s.isEmpty() && s.charAt(0) == ' ') {
            return s.stripLeading();
        }
        int i = 0;
        int b;
        while ((b = blobEnd(s, i)) > 0) {
            i = b;
        }
        String rest = s.substring(i).toLowerCase(Locale.ROOT);
        int word = rest.startsWith("re") ? 2 : rest.startsWith("fwd") ? 3 : rest.startsWith("fw") ? 2 : 0;
        if (word == 0) {
            return s;
        }
        int j = i + word;
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        int blob = blobEnd(s, j);
        if (blob > 0) {
            j = blob;
        }
        return j < s.length() && s.charAt(j) == ':' ? s.substring(j + 1) : s;
    }

    /** subj-blob = "[" *BLOBCHAR "]" *WSP at {@code from}: where it ends, or 0 when there is none. */
    private static int blobEnd(String s, int from) {
        if (from >= s.length() || s.charAt(from) != '[') {
            return 0;
        }
        int i = from + 1;
        while (i < s.length() && s.charAt(i) != ']') {
            if (s.charAt(i) == '[') {
                return 0;
            }
            i++;
        }
        if (i >= s.length()) {
            return 0;
        }
        i++;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
