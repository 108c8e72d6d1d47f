package org.postwerk.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.journal.Entry;
import org.postwerk.journal.Journal;
import org.postwerk.journal.RecordType;
import org.postwerk.testkit.FaultyDisk;

/**
 * Maildir delivery through the journal, and recovery after a crash. A "crash" is {@link FaultyDisk#kill}: no
 * checkpoint; lost page cache is simulated by deleting or truncating files in new/ before the next start
 * (or by {@link FaultyDisk#powerCut}, see {@link MaildirFaultTest}).
 */
class MaildirJournalTest {
    private static final String ALICE = "alice@example.org";
    private static final String BOB = "bob@example.org";
    private static final long JOURNAL_MAX = 64 * 1024;

    @TempDir
    Path root;
    FaultyDisk disk;

    @BeforeEach
    void disk() throws IOException {
        disk = new FaultyDisk(root);
    }

    @Test
    void aSmallMessageLandsInNewAndStaysInTheJournalUntilCheckpoint() throws IOException {
        Journal journal = journal();
        Maildir store = maildir(journal);
        String message = message(1);
        deliver(store, message, ALICE);

        List<Path> inNew = names(store, ALICE, "new");
        assertThat(inNew).hasSize(1);
        assertThat(Files.readString(inNew.get(0), UTF_8)).isEqualTo(stored(message));
        assertThat(inNew.get(0).getFileName().toString())
                .endsWith(",S=" + stored(message).length() + ",W=" + message.length());
        assertThat(names(store, ALICE, "tmp")).isEmpty();

        disk.kill(); // a crash
        List<Entry> records = recoverRecords();
        assertThat(records).hasSize(1);
        assertThat(records.get(0).type()).isEqualTo(RecordType.MAILDIR_DELIVERY);
        assertThat(new String(records.get(0).payload(), UTF_8)).endsWith(stored(message));
    }

    @Test
    void aCheckpointedMessageLeavesNoRecord() throws IOException {
        Journal journal = journal();
        deliver(maildir(journal), message(1), ALICE);
        journal.checkpoint();
        disk.kill();
        assertThat(recoverRecords()).isEmpty();
    }

    @Test
    void replayRestoresLostAndShortFilesAndLeavesTheOthersAlone() throws IOException {
        Journal journal = journal();
        Maildir store = maildir(journal);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            messages.add(message(i));
            deliver(store, messages.get(i), ALICE);
        }
        List<Path> delivered = names(store, ALICE, "new");
        assertThat(delivered).hasSize(5);
        List<String> contents = new ArrayList<>();
        List<Object> inodes = new ArrayList<>();
        for (Path p : delivered) {
            contents.add(Files.readString(p, UTF_8));
            inodes.add(inode(p));
        }
        assertThat(contents).containsExactlyInAnyOrderElementsOf(messages.stream().map(MaildirJournalTest::stored).toList());

        disk.kill(); // a crash that lost some page cache:
        Files.delete(delivered.get(1)); // the name never reached the disk
        try (FileChannel ch = FileChannel.open(delivered.get(3), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2); // the name did, half the data did not
        }
        // the size did, the data did not: zeros where the message was
        Files.write(delivered.get(4), new byte[(int) Files.size(delivered.get(4))]);

        Journal restarted = journal();
        Maildir recovered = maildir(restarted);
        assertThat(restarted.recover(recovered::replay)).isEqualTo(5);
        restarted.close();

        assertThat(names(store, ALICE, "new")).containsExactlyElementsOf(delivered);
        for (int i = 0; i < delivered.size(); i++) {
            assertThat(Files.readString(delivered.get(i), UTF_8)).isEqualTo(contents.get(i));
        }
        for (int i : new int[] {0, 2}) {
            assertThat(inode(delivered.get(i))).as("whole file not rewritten: %s", delivered.get(i))
                    .isEqualTo(inodes.get(i));
        }
        assertThat(names(store, ALICE, "tmp")).as("no .recovered leftovers").isEmpty();
    }

    @Test
    void replayDoesNotRestoreAMessageAReaderMovedToCur() throws IOException {
        Journal journal = journal();
        Maildir store = maildir(journal);
        String message = message(7);
        deliver(store, message, ALICE);
        Path inNew = names(store, ALICE, "new").get(0);
        Path inCur = store.folder(ALICE, MailboxStore.INBOX).resolve("cur").resolve(inNew.getFileName() + ":2,S");
        Files.move(inNew, inCur);
        disk.kill();

        Journal restarted = journal();
        restarted.recover(maildir(restarted)::replay);
        restarted.close();

        assertThat(names(store, ALICE, "new")).isEmpty();
        assertThat(names(store, ALICE, "cur")).containsExactly(inCur);
        assertThat(Files.readString(inCur, UTF_8)).isEqualTo(stored(message));
    }

    @Test
    void aMessageLargerThanTheJournalLimitTakesTheFsyncPath() throws IOException {
        Journal journal = journal();
        Maildir store = new Maildir(root.resolve("mail"), "mx.example.org", disk, journal, 100);
        String message = message(3).repeat(20);
        assertThat(message.length()).isGreaterThan(100);
        deliver(store, message, ALICE);

        List<Path> inNew = names(store, ALICE, "new");
        assertThat(inNew).hasSize(1);
        assertThat(Files.readString(inNew.get(0), UTF_8)).isEqualTo(stored(message));
        disk.kill();
        assertThat(recoverRecords()).as("no journal record for a large message").isEmpty();
    }

    @Test
    void oneDeliveryToTwoMailboxesRestoresBothNames() throws IOException {
        Journal journal = journal();
        Maildir store = maildir(journal);
        String message = message(9);
        deliver(store, message, ALICE, BOB);
        Path alices = names(store, ALICE, "new").get(0);
        Path bobs = names(store, BOB, "new").get(0);
        assertThat(alices.getFileName()).isEqualTo(bobs.getFileName());
        assertThat(names(store, ALICE, "tmp")).as("the shared temporary name is removed").isEmpty();
        Files.delete(alices);
        disk.kill();
        Files.delete(bobs);

        Journal restarted = journal();
        restarted.recover(maildir(restarted)::replay);
        restarted.close();

        assertThat(names(store, ALICE, "new")).containsExactly(alices);
        assertThat(names(store, BOB, "new")).containsExactly(bobs);
        assertThat(Files.readString(alices, UTF_8)).isEqualTo(stored(message));
        assertThat(Files.readString(bobs, UTF_8)).isEqualTo(stored(message));
    }

    @Test
    void aMessageAReaderMovedToCurIsRestoredThereWhenItsDataWasLost() throws IOException {
        Journal journal = journal();
        Maildir store = maildir(journal);
        String message = message(7);
        deliver(store, message, ALICE);
        Path inNew = names(store, ALICE, "new").get(0);
        Path inCur = inNew.resolveSibling("../cur").normalize().resolve(inNew.getFileName() + ":2,S");
        Files.move(inNew, inCur); // an IMAP client saw it
        disk.kill(); // a power loss before writeback: the renames reached the disk, the data did not
        Files.write(inCur, new byte[0]);

        Journal restarted = journal();
        restarted.recover(maildir(restarted)::replay);
        restarted.close();

        assertThat(Files.readString(inCur, UTF_8)).isEqualTo(stored(message));
        assertThat(names(store, ALICE, "new")).as("not put back into new/").isEmpty();
    }

    private Journal journal() throws IOException {
        return new Journal(root.resolve("journal"), disk);
    }

    private Maildir maildir(Journal journal) {
        return new Maildir(root.resolve("mail"), "mx.example.org", disk, journal, JOURNAL_MAX);
    }

    /** Opens the journal again, as the next start would, and returns the records left over. */
    private List<Entry> recoverRecords() throws IOException {
        List<Entry> got = new ArrayList<>();
        try (Journal journal = journal()) {
            journal.recover(entries -> {
                entries.forEach(got::add);
                return List.of();
            });
        }
        return got;
    }

    /** What a message file holds: the message with LF line ends (ADR 0012). */
    private static String stored(String crlf) {
        return crlf.replace("\r\n", "\n");
    }

    private static String message(int n) {
        return "Return-Path: <sender@example.net>\r\nSubject: message " + n + "\r\n\r\nBody " + n + "\r\n";
    }

    private static void deliver(Maildir store, String message, String... accounts) throws IOException {
        try (MailboxStore.Delivery d = store.open(List.of(accounts), MailboxStore.INBOX)) {
            byte[] b = message.getBytes(UTF_8);
            d.out().write(b, 0, 10); // a header line, then the rest in one write, as a session does
            d.out().write(b, 10, b.length - 10);
            d.commit();
        }
    }

    private static List<Path> names(Maildir store, String account, String sub) throws IOException {
        try (var files = Files.list(store.folder(account, MailboxStore.INBOX).resolve(sub))) {
            return files.sorted().toList();
        }
    }

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }
}
