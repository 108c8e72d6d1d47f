package org.postwerk.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.journal.Journal;
import org.postwerk.testkit.FaultyDisk;
import org.postwerk.testkit.FaultyDisk.Op;

/**
 * Maildir deliveries on a failing disk — EIO on an fsync or fdatasync, ENOSPC on a write — through the journal
 * and without it, then a power cut ({@link FaultyDisk#powerCut}: what no sync covered is gone) and the next
 * start's replay. A delivery whose commit returned is there, whole; one whose commit failed is not visible.
 */
class MaildirFaultTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final long JOURNAL_MAX = 4096;

    @TempDir
    Path root;
    Path mail;
    Path journalDir;
    FaultyDisk disk;

    @BeforeEach
    void disk() throws IOException {
        mail = root.resolve("mail");
        journalDir = root.resolve("journal");
        disk = new FaultyDisk(root);
    }

    @Test
    void aFailedJournalFdatasyncAcknowledgesNothingShowsNothingAndRefusesWhatFollows() throws IOException {
        Maildir store = new Maildir(mail, "mx.example.org", disk, new Journal(journalDir, disk), JOURNAL_MAX);
        deliver(store, message(1, 100), ALICE);
        disk.failNext(Op.FDATASYNC, journalDir);

        assertThatThrownBy(() -> deliver(store, message(2, 100), ALICE)).hasMessageContaining("Input/output");
        assertThatThrownBy(() -> deliver(store, message(3, 100), ALICE)).hasMessageContaining("journal unusable");
        assertThat(subjects(store, ALICE, "new")).containsExactly("m1");
        assertThat(names(store, ALICE, "tmp")).isEmpty();

        disk.powerCut();
        restart();
        assertThat(subjects(store, ALICE, "new")).containsExactly("m1");
    }

    @Test
    void aFullDiskWhileTheMessageOrItsRecordIsWrittenAcknowledgesNothingAndTheNextMessageGoesThrough()
            throws IOException {
        Maildir store = new Maildir(mail, "mx.example.org", disk, new Journal(journalDir, disk), JOURNAL_MAX);
        deliver(store, message(0, 100), BOB); // the Maildirs exist: the faults below hit the message itself
        deliver(store, message(0, 100), ALICE);
        disk.failNext(Op.WRITE, mail);
        assertThatThrownBy(() -> deliver(store, message(1, 100), ALICE, BOB)).hasMessageContaining("No space");
        disk.failNext(Op.WRITE, journalDir);
        assertThatThrownBy(() -> deliver(store, message(2, 100), ALICE, BOB)).hasMessageContaining("No space");
        assertThat(subjects(store, ALICE, "new")).containsExactly("m0");
        assertThat(names(store, ALICE, "tmp")).isEmpty();

        deliver(store, message(3, 100), ALICE, BOB);
        disk.powerCut();
        restart();
        assertThat(subjects(store, ALICE, "new")).containsExactlyInAnyOrder("m0", "m3");
        assertThat(subjects(store, BOB, "new")).containsExactlyInAnyOrder("m0", "m3");
    }

    @Test
    void withoutTheJournalAFailedFsyncOfTheFileOrOfNewAcknowledgesNothing() throws IOException {
        Maildir store = new Maildir(mail, "mx.example.org", disk);
        deliver(store, message(0, 100), ALICE);
        disk.failNext(Op.FSYNC, mail);
        assertThatThrownBy(() -> deliver(store, message(1, 100), ALICE)).hasMessageContaining("Input/output");
        disk.failNext(Op.SYNC_DIRECTORY, store.folder(ALICE, MailboxStore.INBOX).resolve("new"));
        assertThatThrownBy(() -> deliver(store, message(2, 100), ALICE)).hasMessageContaining("Input/output");
        assertThat(subjects(store, ALICE, "new")).as("the name is taken back").containsExactly("m0");
        assertThat(names(store, ALICE, "tmp")).isEmpty();

        deliver(store, message(3, 100), ALICE);
        disk.powerCut(); // no journal, no replay: what was acknowledged is on disk already
        assertThat(subjects(store, ALICE, "new")).containsExactlyInAnyOrder("m0", "m3");
    }

    @Test
    void everyAcknowledgedMessageSurvivesAPowerCutWhateverFailedOnTheWay() throws IOException {
        Maildir store = new Maildir(mail, "mx.example.org", disk, new Journal(journalDir, disk), JOURNAL_MAX);
        Map<String, List<String>> acknowledged = Map.of(ALICE, new ArrayList<>(), BOB, new ArrayList<>());
        int failed = 0;
        for (int i = 0; i < 60; i++) {
            // Small messages are journaled, every fifth is larger than the journal's limit: fsync'd in place.
            String message = message(i, i % 5 == 0 ? 2 * JOURNAL_MAX : 200);
            List<String> to = i % 2 == 0 ? List.of(ALICE) : List.of(ALICE, BOB);
            switch (i % 6) {
                case 1 -> disk.failNext(Op.WRITE, mail);
                case 2 -> disk.failNext(Op.FSYNC, mail);
                case 3 -> disk.failNext(Op.SYNC_DIRECTORY, mail);
                case 4 -> disk.failNext(Op.WRITE, journalDir);
                default -> { }
            }
            if (i == 46) {
                disk.failNext(Op.FDATASYNC, journalDir); // from here on only large messages are accepted
            }
            try {
                deliver(store, message, to.toArray(String[]::new));
                to.forEach(a -> acknowledged.get(a).add(message));
            } catch (IOException e) {
                failed++;
            }
            disk.heal(); // a fault that did not hit this delivery is not left for the next one
        }
        assertThat(failed).as("deliveries that failed").isBetween(20, 45);

        disk.powerCut();
        restart();

        for (String account : List.of(ALICE, BOB)) {
            assertThat(contents(store, account)).as("%s: exactly the acknowledged messages, whole", account)
                    .containsExactlyInAnyOrderElementsOf(acknowledged.get(account).stream()
                            .map(m -> m.replace("\r\n", "\n")).toList()); // files hold LF (ADR 0012)
            assertThat(names(store, account, "tmp")).isEmpty();
        }
    }

    @Test
    void aSubfolderKeepsItsMaildirfolderMarkAfterAPowerCut() throws IOException {
        Maildir store = new Maildir(mail, "mx.example.org", disk);
        try (MailboxStore.Delivery d = store.open(List.of(ALICE), "Junk")) {
            d.out().write(message(1, 100).getBytes(UTF_8));
            d.commit();
        }
        disk.powerCut();
        assertThat(store.folder(ALICE, "Junk").resolve("maildirfolder")).as("Dovecot's sign of a folder").exists();
    }

    /** The next start: a new journal on the same folder replays the records left over into the Maildirs. */
    private void restart() throws IOException {
        try (Journal journal = new Journal(journalDir, disk)) {
            journal.recover(new Maildir(mail, "mx.example.org", disk, journal, JOURNAL_MAX)::replay);
        }
    }

    private static String message(int n, long size) {
        String head = "Return-Path: <sender@example.net>\r\nSubject: m" + n + "\r\n\r\n";
        StringBuilder b = new StringBuilder(head);
        while (b.length() < size) {
            b.append("line of message ").append(n).append("\r\n");
        }
        return b.toString();
    }

    private static void deliver(Maildir store, String message, String... accounts) throws IOException {
        try (MailboxStore.Delivery d = store.open(List.of(accounts), MailboxStore.INBOX)) {
            byte[] b = message.getBytes(UTF_8);
            d.out().write(b, 0, 10);
            d.out().write(b, 10, b.length - 10);
            d.commit();
        }
    }

    private static List<String> contents(Maildir store, String account) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : names(store, account, "new")) {
            out.add(Files.readString(p, UTF_8));
            assertThat(p.getFileName().toString()).contains(",S=" + Files.size(p) + ",W=");
        }
        return out;
    }

    private static List<String> subjects(Maildir store, String account, String sub) throws IOException {
        Map<String, String> bySubject = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Path p : names(store, account, sub)) {
            String s = Files.readString(p, UTF_8);
            int at = s.indexOf("Subject: ");
            String subject = s.substring(at + 9, s.indexOf("\n", at)); // files hold LF line ends (ADR 0012)
            assertThat(bySubject.put(subject, s)).as("once: %s", subject).isNull();
            out.add(subject);
        }
        return out;
    }

    private static List<Path> names(Maildir store, String account, String sub) throws IOException {
        Path dir = store.folder(account, MailboxStore.INBOX).resolve(sub);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
