package org.postwerk.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postwerk.testkit.ImapScript;

/**
 * One IMAP client of the crash test. It owns a source folder and a target folder and works on them one
 * command at a time: APPEND with flags (or, on INBOX, takes what SMTP delivers), UID STORE, UID STORE \Deleted
 * then UID EXPUNGE, UID MOVE to the target. Every tagged OK goes into its {@link FolderModel}s; the command in
 * flight at the kill leaves its messages uncertain. After each restart it checks the folders first.
 */
final class ImapWorker {
    static final String USER = "alice@example.test";
    static final String PASSWORD = "secret-password";
    private static final Pattern COPYUID = Pattern.compile("\\[COPYUID (\\d+) (\\d+) (\\d+)\\]");
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) (\\d+)\\]");
    private static final String[] FLAGS = {"\\Seen", "\\Flagged", "\\Answered", "\\Draft", "$Crash"};
    private static final String FETCH = " (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])";

    final String id;
    final FolderModel source;
    final FolderModel target;
    private final boolean inbox;
    private final Random random;
    private final List<String> problems;
    /** Acknowledged commands, and commands in flight at a kill, by name. */
    final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> inFlightAtKill = new ConcurrentHashMap<>();
    /** Tokens of messages this client expunged or was expunging at a kill. */
    final Set<String> expunged = ConcurrentHashMap.newKeySet();
    private String pending;
    private String moving;
    private int appended;

    ImapWorker(String id, String source, String target, boolean inbox, long seed, List<String> problems) {
        this.id = id;
        this.source = new FolderModel(source);
        this.target = new FolderModel(target);
        this.inbox = inbox;
        this.random = new Random(seed);
        this.problems = problems;
    }

    /**
     * Connects, checks the folders against what it knows ({@code foreign}: tokens SMTP may have added), counts
     * down {@code checked}, then works until the connection breaks or {@code stop}.
     */
    void round(InetSocketAddress imaps, int round, Predicate<String> foreign, CountDownLatch checked,
               AtomicBoolean stop) {
        boolean working = false;
        try (ImapScript s = ImapScript.imaps(imaps, Duration.ofSeconds(20))) {
            s.ok("LOGIN " + USER + " " + PASSWORD);
            if (round == 0 && !inbox) {
                s.ok("CREATE " + source.name);
                s.ok("CREATE " + target.name);
            }
            check(s, foreign);
            checked.countDown();
            working = true;
            while (!stop.get()) {
                step(s, round);
            }
        } catch (IOException e) {
            if (!working) {
                problems.add(id + ": could not check its folders after a restart: " + e);
            } else if (pending != null) { // the kill: the command got no answer
                inFlightAtKill.computeIfAbsent(pending, k -> new AtomicInteger()).incrementAndGet();
            }
        } catch (IllegalStateException e) {
            problems.add(id + ": " + e.getMessage());
        } finally {
            checked.countDown(); // a failed check must not hold the test up
        }
    }

    private void check(ImapScript s, Predicate<String> foreign) throws IOException {
        target.check(s.ok("SELECT " + target.name), s.ok("UID FETCH 1:*" + FETCH), t -> false, problems);
        source.check(s.ok("SELECT " + source.name), s.ok("UID FETCH 1:*" + FETCH), foreign, problems); // stays selected
        if (moving != null) {
            long copies = source.tokens().stream().filter(moving::equals).count()
                    + target.tokens().stream().filter(moving::equals).count();
            if (copies != 1) {
                problems.add(id + ": message " + moving + " in flight in a MOVE is there " + copies + " times");
            }
            moving = null;
        }
        pending = null;
    }

    private void step(ImapScript s, int round) throws IOException {
        if (inbox) {
            s.ok("NOOP");
            var fresh = FolderModel.parse(s.ok("UID FETCH " + (source.maxUid + 1) + ":*" + FETCH));
            fresh.tailMap(source.maxUid, false).forEach(source.messages::put);
            source.maxUid = Math.max(source.maxUid, fresh.isEmpty() ? 0 : fresh.lastKey());
        }
        int r = random.nextInt(100);
        if (!inbox && (source.messages.size() < 4 || r < 35)) {
            append(s, round);
        } else if (source.messages.isEmpty()) {
            sleep();
        } else if (r < 60) {
            store(s);
        } else if (r < 82) {
            move(s);
        } else {
            expunge(s);
        }
    }

    private void append(ImapScript s, int round) throws IOException {
        String token = id + "r" + round + "n" + appended++;
        Set<String> flags = randomFlags();
        byte[] message = ("Subject: " + token + "\r\nFrom: <" + id + "@example.net>\r\n\r\n"
                + "appended by " + id + "\r\n").getBytes(StandardCharsets.UTF_8);
        source.mayAppear.add(token);
        pending = "APPEND";
        List<String> r = s.ok(s.command("APPEND " + source.name + " (" + String.join(" ", flags) + ")", message));
        Matcher m = APPENDUID.matcher(r.getLast());
        if (!m.find()) {
            throw new IllegalStateException("APPEND without APPENDUID: " + r.getLast());
        }
        long uid = Long.parseLong(m.group(2));
        source.given(Long.parseLong(m.group(1)), uid, problems);
        source.messages.put(uid, new FolderModel.Msg(token, flags));
        done();
    }

    private void store(ImapScript s) throws IOException {
        long uid = randomUid();
        FolderModel.Msg before = source.messages.get(uid);
        Set<String> flags = randomFlags();
        String mode = List.of("+FLAGS", "-FLAGS", "FLAGS").get(random.nextInt(3));
        Set<String> after = new TreeSet<>(mode.equals("+FLAGS") ? before.flags() : Set.of());
        if (mode.equals("-FLAGS")) {
            after.addAll(before.flags());
            after.removeAll(flags);
        } else {
            after.addAll(flags);
        }
        FolderModel.Msg next = new FolderModel.Msg(before.token(), after);
        source.uncertain.put(uid, List.of(Optional.of(before), Optional.of(next)));
        pending = "STORE";
        List<String> r = s.ok("UID STORE " + uid + " " + mode + " (" + String.join(" ", flags) + ")");
        for (String line : r) {
            Matcher f = Pattern.compile("FLAGS \\(([^)]*)\\)").matcher(line);
            if (line.startsWith("* ") && f.find() && !FolderModel.flags(f.group(1)).equals(after)) {
                problems.add(id + ": STORE answered " + line + ", expected " + after);
            }
        }
        source.messages.put(uid, next);
        done();
    }

    private void expunge(ImapScript s) throws IOException {
        long uid = randomUid();
        FolderModel.Msg before = source.messages.get(uid);
        Set<String> deleted = new TreeSet<>(before.flags());
        deleted.add("\\Deleted");
        FolderModel.Msg marked = new FolderModel.Msg(before.token(), deleted);
        source.uncertain.put(uid, List.of(Optional.of(before), Optional.of(marked)));
        pending = "STORE";
        s.ok("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
        source.messages.put(uid, marked);
        source.uncertain.put(uid, List.of(Optional.of(marked), Optional.empty()));
        expunged.add(before.token());
        pending = "EXPUNGE";
        s.ok("UID EXPUNGE " + uid);
        source.messages.remove(uid);
        done();
    }

    private void move(ImapScript s) throws IOException {
        long uid = randomUid();
        FolderModel.Msg msg = source.messages.get(uid);
        source.uncertain.put(uid, List.of(Optional.of(msg), Optional.empty()));
        target.mayAppear.add(msg.token());
        moving = msg.token();
        pending = "MOVE";
        List<String> r = s.ok("UID MOVE " + uid + " " + target.name);
        Matcher m = r.stream().map(COPYUID::matcher).filter(Matcher::find).findFirst()
                .orElseThrow(() -> new IllegalStateException("MOVE without COPYUID: " + r));
        if (Long.parseLong(m.group(2)) != uid) {
            problems.add(id + ": COPYUID names source UID " + m.group(2) + " for " + uid);
        }
        long to = Long.parseLong(m.group(3));
        target.given(Long.parseLong(m.group(1)), to, problems);
        target.messages.put(to, msg);
        source.messages.remove(uid);
        moving = null;
        done();
    }

    private void done() {
        acknowledged.computeIfAbsent(pending, k -> new AtomicInteger()).incrementAndGet();
        pending = null;
        source.settle();
        target.settle();
    }

    private long randomUid() {
        List<Long> uids = new ArrayList<>(source.messages.keySet());
        return uids.get(random.nextInt(uids.size()));
    }

    private Set<String> randomFlags() {
        Set<String> flags = new TreeSet<>();
        for (String f : FLAGS) {
            if (random.nextInt(3) == 0) {
                flags.add(f);
            }
        }
        return flags;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
