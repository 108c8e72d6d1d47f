package org.postwerk.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What one IMAP client knows for certain about one folder: the messages that its acknowledged commands put or
 * left there (UID, subject token, flags), the UIDVALIDITY, and the highest UID and UIDNEXT it has seen. The
 * one command in flight when the server was killed makes some messages uncertain: each gets the states it may
 * be found in. After a restart {@link #check} compares the folder as the server now shows it with this.
 */
final class FolderModel {
    /** A message as a test sees it: the token in its Subject, its flags (without \Recent). */
    record Msg(String token, Set<String> flags) {}

    private static final Pattern FETCH = Pattern.compile("^\\* \\d+ FETCH \\(.*", Pattern.DOTALL);
    private static final Pattern UID = Pattern.compile("UID (\\d+)");
    private static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");
    private static final Pattern SUBJECT = Pattern.compile("Subject: (\\S+)");
    private static final Pattern NUMBER = Pattern.compile("\\[(UIDVALIDITY|UIDNEXT) (\\d+)\\]");

    final String name;
    final TreeMap<Long, Msg> messages = new TreeMap<>();
    /** uid -> the states it may be in after a kill; an empty Optional: gone. */
    final Map<Long, List<Optional<Msg>>> uncertain = new HashMap<>();
    /** Tokens that may turn up under a new UID (an APPEND or MOVE in flight). */
    final Set<String> mayAppear = new java.util.HashSet<>();
    long validity;
    long uidNext;
    long maxUid;

    FolderModel(String name) {
        this.name = name;
    }

    /** A UID the server just gave (APPENDUID, COPYUID): same UIDVALIDITY, above every UID seen before. */
    void given(long uidValidity, long uid, List<String> problems) {
        if (uidValidity != validity) {
            problems.add(name + ": UIDVALIDITY " + uidValidity + " after " + validity);
        }
        if (uid <= maxUid) {
            problems.add(name + ": UID " + uid + " given after " + maxUid + " (backwards or reused)");
        }
        maxUid = Math.max(maxUid, uid);
    }

    /** Forgets the in-flight command: it was answered. */
    void settle() {
        uncertain.clear();
        mayAppear.clear();
    }

    /**
     * Compares the SELECT and UID FETCH responses with what is known, adds every difference to {@code problems},
     * then takes the server's state as the new knowledge. {@code foreign}: tokens others may add here (SMTP).
     */
    void check(List<String> select, List<String> fetch, Predicate<String> foreign, List<String> problems) {
        long seenValidity = number(select, "UIDVALIDITY");
        long seenNext = number(select, "UIDNEXT");
        if (validity != 0 && seenValidity != validity) {
            problems.add(name + ": UIDVALIDITY changed from " + validity + " to " + seenValidity);
        }
        if (seenNext < uidNext || seenNext <= maxUid) {
            problems.add(name + ": UIDNEXT " + seenNext + " after UIDNEXT " + uidNext + " and UID " + maxUid);
        }
        TreeMap<Long, Msg> seen = parse(fetch);
        for (var e : messages.entrySet()) {
            Optional<Msg> now = Optional.ofNullable(seen.get(e.getKey()));
            List<Optional<Msg>> allowed = uncertain.getOrDefault(e.getKey(), List.of(Optional.of(e.getValue())));
            if (!allowed.contains(now)) {
                problems.add(name + ": UID " + e.getKey() + " is " + now + ", acknowledged as one of " + allowed);
            }
        }
        for (var e : seen.entrySet()) {
            if (messages.containsKey(e.getKey())) {
                continue;
            }
            boolean expected = mayAppear.contains(e.getValue().token()) || foreign.test(e.getValue().token());
            if (!expected || e.getKey() <= maxUid) {
                problems.add(name + ": unexpected UID " + e.getKey() + " " + e.getValue() + " (highest known UID "
                        + maxUid + ")");
            }
        }
        messages.clear();
        messages.putAll(seen);
        settle();
        validity = seenValidity;
        uidNext = seenNext;
        maxUid = Math.max(maxUid, seen.isEmpty() ? 0 : seen.lastKey());
    }

    /** The messages of UID FETCH responses with UID, FLAGS and the Subject header. */
    static TreeMap<Long, Msg> parse(List<String> responses) {
        TreeMap<Long, Msg> found = new TreeMap<>();
        for (String r : responses) {
            if (!FETCH.matcher(r).matches()) {
                continue;
            }
            Matcher uid = UID.matcher(r);
            Matcher flags = FLAGS.matcher(r);
            Matcher subject = SUBJECT.matcher(r);
            if (uid.find() && flags.find() && subject.find()) {
                found.put(Long.parseLong(uid.group(1)), new Msg(subject.group(1), flags(flags.group(1))));
            }
        }
        return found;
    }

    static Set<String> flags(String list) {
        return java.util.Arrays.stream(list.trim().split(" +")).filter(f -> !f.isEmpty() && !f.equals("\\Recent"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    /** {@code [UIDVALIDITY n]} or {@code [UIDNEXT n]} from responses, or 0. */
    static long number(List<String> responses, String key) {
        for (String r : responses) {
            Matcher m = NUMBER.matcher(r);
            while (m.find()) {
                if (m.group(1).equals(key)) {
                    return Long.parseLong(m.group(2));
                }
            }
        }
        return 0;
    }

    /** The tokens this folder holds for sure. */
    List<String> tokens() {
        return new ArrayList<>(messages.values().stream().map(Msg::token).toList());
    }
}
