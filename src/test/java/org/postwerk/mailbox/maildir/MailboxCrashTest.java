package org.postwerk.mailbox.maildir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.journal.Journal;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mailbox.StoreMode;
import org.postwerk.store.MailboxStore;
import org.postwerk.store.Maildir;
import org.postwerk.testkit.FaultyDisk;

/**
 * Folder changes acknowledged to IMAP survive a power cut that comes before any journal checkpoint: SMTP
 * deliveries given UIDs, flags, an expunge, an APPEND, a COPY and a MOVE — every file written without fsync is
 * lost or emptied by the cut, and the next start's replay brings back exactly the acknowledged state.
 */
class MailboxCrashTest {
    private static final String USER = "alice@example.org";
    private static final long JOURNAL_MAX = 1 << 20;

    @TempDir
    Path root;

    private record Server(Journal journal, Folders folders, Maildir store, MaildirAccess access) {}

    private Server start(FaultyDisk disk) throws IOException {
        Path mail = root.resolve("mail");
        Journal journal = new Journal(root.resolve("journal"), disk);
        Maildir store = new Maildir(mail, "mx.example.org", disk, journal, JOURNAL_MAX);
        MailboxReplay replay = new MailboxReplay(mail, disk);
        journal.recover(entries -> {
            List<Path> touched = new ArrayList<>(replay.replay(entries));
            touched.addAll(store.replay(entries, replay.handled()));
            return touched;
        });
        Folders folders = new Folders(mail, disk, null, JOURNAL_MAX, Clock.systemUTC());
        folders.log(new JournalChangeLog(journal, folders));
        Maildir delivering = new Maildir(mail, "mx.example.org", disk, journal, JOURNAL_MAX, folders::delivered);
        return new Server(journal, folders, delivering,
                new MaildirAccess(folders, delivering.folder(USER, MailboxStore.INBOX), -1));
    }

    private static void deliver(Maildir store, String subject) throws IOException {
        try (MailboxStore.Delivery d = store.open(List.of(USER), MailboxStore.INBOX)) {
            d.out().write(("Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n").getBytes(UTF_8));
            d.commit();
        }
    }

    private static String content(Folder f, long uid) throws IOException {
        try (InputStream in = f.content(uid).orElseThrow()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    @Test
    void acknowledgedChangesSurviveAPowerCutBeforeTheCheckpoint() throws Exception {
        FaultyDisk disk = new FaultyDisk(root);
        Server s = start(disk);
        for (String subject : List.of("one", "two", "three")) {
            deliver(s.store(), subject);
        }
        long validity;
        try (Folder inbox = s.access().open("INBOX"); Folder archive = s.access().open("Archive");
             Folder drafts = s.access().open("Drafts")) {
            inbox.refresh();
            assertThat(inbox.state().current().count()).isEqualTo(3);
            validity = inbox.state().current().uidValidity();
            inbox.store(new long[] {1}, StoreMode.ADD, Flags.of(Flag.SEEN, Flag.FLAGGED), -1);
            inbox.store(new long[] {2}, StoreMode.ADD, Flags.of(Flag.DELETED), -1);
            assertThat(inbox.expunge(null)).containsExactly(2);
            byte[] draft = "Subject: draft\r\n\r\nwritten offline\r\n".getBytes(UTF_8);
            assertThat(drafts.append(o -> o.write(draft), draft.length, Flags.of(Flag.DRAFT), 1000)).isEqualTo(1);
            assertThat(inbox.copy(new long[] {3}, archive, true).to()).containsExactly(1);
            assertThat(inbox.copy(new long[] {1}, archive, false).to()).containsExactly(2);
        }
        disk.powerCut(); // no checkpoint ran: only the journal was made durable

        Server after = start(disk);
        try (Folder inbox = after.access().open("INBOX"); Folder archive = after.access().open("Archive");
             Folder drafts = after.access().open("Drafts")) {
            inbox.refresh();
            Snapshot in = inbox.state().current();
            assertThat(in.uidValidity()).isEqualTo(validity);
            assertThat(in.count()).isEqualTo(1);
            assertThat(in.uid(0)).isEqualTo(1);
            assertThat(in.uidNext()).isEqualTo(4); // 2 and 3 are never given again
            assertThat(in.flags(0).system()).containsExactlyInAnyOrder(Flag.SEEN, Flag.FLAGGED);
            assertThat(content(inbox, 1)).isEqualTo("Subject: one\r\n\r\nbody of one\r\n");
            Snapshot ar = archive.state().current();
            assertThat(ar.count()).isEqualTo(2);
            assertThat(content(archive, 1)).isEqualTo("Subject: three\r\n\r\nbody of three\r\n");
            assertThat(content(archive, 2)).isEqualTo("Subject: one\r\n\r\nbody of one\r\n");
            assertThat(ar.flags(1).system()).containsExactlyInAnyOrder(Flag.SEEN, Flag.FLAGGED);
            assertThat(content(drafts, 1)).isEqualTo("Subject: draft\r\n\r\nwritten offline\r\n");
            assertThat(drafts.state().current().flags(0).system()).containsExactly(Flag.DRAFT);
        }
        after.journal().close();
        assertThat(Set.of(root.resolve("mail/example.org/alice/Maildir/new").toFile().list())).isEmpty();
    }
}
