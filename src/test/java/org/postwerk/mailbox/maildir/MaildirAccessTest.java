package org.postwerk.mailbox.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.mailbox.ChangeLog;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.Operations;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mailbox.SpecialUse;
import org.postwerk.mailbox.StoreMode;

class MaildirAccessTest {
    @TempDir
    Path root;

    private MaildirAccess access() throws Exception {
        return new MaildirAccess(new Folders(root, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC()),
                root.resolve("example.org/alice/Maildir"), -1);
    }

    private Path maildir() {
        return root.resolve("example.org/alice/Maildir");
    }

    /** A delivery as SMTP makes it: an LF file in new/ with S= and W= sizes. */
    private void deliver(String base, String text) throws Exception {
        byte[] lf = text.getBytes(StandardCharsets.US_ASCII);
        long crlf = lf.length + text.chars().filter(c -> c == '\n').count();
        Files.write(maildir().resolve("new").resolve(base + ",S=" + lf.length + ",W=" + crlf), lf);
    }

    private static String read(Folder f, long uid) throws Exception {
        try (InputStream in = f.content(uid).orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void specialUseFoldersExistForEveryUser() throws Exception {
        MaildirAccess a = access();
        assertThat(a.folders()).extracting(MailAccess.FolderInfo::name)
                .containsExactly("INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash");
        assertThat(a.folder("Sent").orElseThrow().use()).contains(SpecialUse.SENT);
        assertThat(a.subscriptions()).contains("Sent", "Trash");
        assertThat(Files.isDirectory(maildir().resolve(".Sent/cur"))).isTrue();
    }

    @Test
    void deliveredMessagesGetUidsAndMoveToCur() throws Exception {
        MaildirAccess a = access();
        deliver("1000.M1P1Q1.h", "Subject: one\n\nhello\n");
        deliver("1000.M1P1Q2.h", "Subject: two\n\nhello\n");
        try (Folder inbox = a.open("inbox")) {
            inbox.refresh();
            Snapshot s = inbox.state().current();
            assertThat(s.count()).isEqualTo(2);
            assertThat(s.uid(0)).isEqualTo(1);
            assertThat(s.size(0)).isEqualTo("Subject: one\r\n\r\nhello\r\n".length());
            assertThat(read(inbox, 1)).isEqualTo("Subject: one\r\n\r\nhello\r\n");
            assertThat(Files.list(maildir().resolve("new")).count()).isZero();
            assertThat(Files.exists(maildir().resolve("cur/1000.M1P1Q1.h,S=20,W=23:2,"))).isTrue();
        }
    }

    @Test
    void flagsLiveInTheFileNamesAndSurviveAReload() throws Exception {
        MaildirAccess a = access();
        deliver("1000.M1P1Q1.h", "Subject: one\n\nhello\n");
        try (Folder inbox = a.open("INBOX")) {
            inbox.refresh();
            Operations.Stored st = inbox.store(new long[] {1}, StoreMode.ADD,
                    new Flags(Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("$Label1")), -1);
            assertThat(st.changed()).containsExactly(1);
        }
        assertThat(Files.exists(maildir().resolve("cur/1000.M1P1Q1.h,S=20,W=23:2,FSa"))).isTrue();
        Folders folders = new Folders(root, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC());
        // A new process: no index written yet (no checkpoint), so the state is built from the files.
        try (Folder inbox = new MaildirAccess(folders, maildir(), -1).open("INBOX")) {
            Snapshot s = inbox.state().current();
            assertThat(s.count()).isEqualTo(1);
            assertThat(s.flags(0).system()).containsExactlyInAnyOrder(Flag.SEEN, Flag.FLAGGED);
        }
    }

    @Test
    void indexKeepsUidsAcrossRestartsAndDovecotUidlistIsWritten() throws Exception {
        Folders folders = new Folders(root, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC());
        MaildirAccess a = new MaildirAccess(folders, maildir(), -1);
        deliver("1000.M1P1Q1.h", "A: 1\n\n");
        deliver("1000.M1P1Q2.h", "A: 2\n\n");
        long validity;
        try (Folder inbox = a.open("INBOX")) {
            inbox.refresh();
            inbox.store(new long[] {1}, StoreMode.ADD, Flags.of(Flag.DELETED), -1);
            assertThat(inbox.expunge(null)).containsExactly(1);
            validity = inbox.state().current().uidValidity();
        }
        folders.checkpoint();
        assertThat(Files.readString(maildir().resolve("dovecot-uidlist")))
                .startsWith("3 V" + validity + " N3 G").contains("2 :1000.M1P1Q2.h,S=6,W=8\n");
        deliver("1000.M1P1Q3.h", "A: 3\n\n");
        try (Folder inbox = new MaildirAccess(new Folders(root, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC()),
                maildir(), -1).open("INBOX")) {
            inbox.refresh();
            Snapshot s = inbox.state().current();
            assertThat(s.uidValidity()).isEqualTo(validity);
            assertThat(s.uid(0)).isEqualTo(2);
            assertThat(s.uid(1)).isEqualTo(3); // never reuses 1
        }
    }

    @Test
    void aDovecotMaildirKeepsItsUids() throws Exception {
        Files.createDirectories(maildir().resolve("cur"));
        Files.createDirectories(maildir().resolve("new"));
        Files.writeString(maildir().resolve("cur/1500.x.h,S=6:2,Sa"), "A: 1\n\n");
        Files.writeString(maildir().resolve("dovecot-uidlist"), "3 V1234 N40 Gabc\n37 :1500.x.h,S=6\n");
        Files.writeString(maildir().resolve("dovecot-keywords"), "0 $Junk\n");
        try (Folder inbox = access().open("INBOX")) {
            Snapshot s = inbox.state().current();
            assertThat(s.uidValidity()).isEqualTo(1234);
            assertThat(s.uid(0)).isEqualTo(37);
            assertThat(s.uidNext()).isEqualTo(40);
            assertThat(s.flags(0)).isEqualTo(new Flags(Set.of(Flag.SEEN), Set.of("$Junk")));
        }
    }

    @Test
    void changesByOtherProgramsAreTakenOverOnLoad() throws Exception {
        Folders folders = new Folders(root, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC());
        MaildirAccess a = new MaildirAccess(folders, maildir(), -1);
        deliver("1000.M1P1Q1.h", "A: 1\n\n");
        deliver("1000.M1P1Q2.h", "A: 2\n\n");
        try (Folder inbox = a.open("INBOX")) {
            inbox.refresh();
        }
        folders.checkpoint();
        // a mail reader on the Maildir: reads one (renames it :2,S), deletes the other, files a third in cur/
        Files.move(maildir().resolve("cur/1000.M1P1Q1.h,S=6,W=8:2,"), maildir().resolve("cur/1000.M1P1Q1.h,S=6,W=8:2,S"));
        Files.delete(maildir().resolve("cur/1000.M1P1Q2.h,S=6,W=8:2,"));
        Files.writeString(maildir().resolve("cur/1001.M1P1Q1.h:2,F"), "A: 3\n\n");
        try (Folder inbox = new MaildirAccess(new Folders(root, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC()),
                maildir(), -1).open("INBOX")) {
            Snapshot s = inbox.state().current();
            assertThat(s.count()).isEqualTo(2);
            assertThat(s.uid(0)).isEqualTo(1);
            assertThat(s.flags(0).system()).containsExactly(Flag.SEEN);
            assertThat(s.uid(1)).isEqualTo(3);
            assertThat(s.flags(1).system()).containsExactly(Flag.FLAGGED);
            assertThat(s.size(1)).isEqualTo(8);
            assertThat(s.expunged().since(0)).containsExactly(2);
        }
    }

    @Test
    void appendCopyAndMove() throws Exception {
        MaildirAccess a = access();
        try (Folder inbox = a.open("INBOX"); Folder archive = a.open("Archive")) {
            byte[] msg = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
            long uid = inbox.append(o -> o.write(msg), msg.length, Flags.of(Flag.SEEN), 5000);
            assertThat(uid).isEqualTo(1);
            assertThat(read(inbox, 1)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
            assertThat(inbox.state().current().size(0)).isEqualTo(msg.length);
            assertThat(inbox.state().current().internalDate(0)).isEqualTo(5000);

            Operations.Copied copied = inbox.copy(new long[] {1}, archive, false);
            assertThat(copied.to()).containsExactly(1);
            assertThat(read(archive, 1)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
            Operations.Copied moved = inbox.copy(new long[] {1}, archive, true);
            assertThat(moved.from()).containsExactly(1);
            assertThat(moved.to()).containsExactly(2);
            assertThat(inbox.state().current().count()).isZero();
            assertThat(archive.state().current().count()).isEqualTo(2);
            assertThat(read(archive, 2)).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
            assertThat(Files.list(maildir().resolve("cur")).count()).isZero();
            assertThat(Files.list(maildir().resolve(".Archive/cur")).count()).isEqualTo(2);
            assertThat(Files.list(maildir().resolve(".Archive/tmp")).count()).isZero();

            Operations.Copied self = archive.copy(new long[] {1}, archive, false);
            assertThat(self.to()).containsExactly(3);
            assertThat(archive.state().current().locator(2)).isNotEqualTo(archive.state().current().locator(0));
        }
    }

    /** Found by interop/imap-dovecot: Dovecot took every APPENDed message's INTERNALDATE from the time of the copy. */
    @Test
    void appendedInternalDateIsTheFilesMtime() throws Exception {
        long date = 1_796_000_000_000L;
        try (Folder inbox = access().open("INBOX")) {
            byte[] msg = "Subject: old\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
            inbox.append(o -> o.write(msg), msg.length, Flags.of(), date);
        }
        try (var files = Files.list(maildir().resolve("cur"))) {
            assertThat(files.map(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()).containsExactly(date);
        }
    }

    @Test
    void createRenameDeleteAndNames() throws Exception {
        MaildirAccess a = access();
        a.create("Projects/2024", Optional.empty());
        assertThat(a.folders()).extracting(MailAccess.FolderInfo::name).contains("Projects", "Projects/2024");
        assertThat(a.folder("Projects").orElseThrow().selectable()).isTrue(); // CREATE makes the parents (RFC 9051 §6.3.4)
        assertThat(a.folder("Projects").orElseThrow().hasChildren()).isTrue();
        assertThatThrownBy(() -> a.create("Projects/2024", Optional.empty())).isInstanceOf(MailAccess.Problem.class);
        assertThatThrownBy(() -> a.create("a.b", Optional.empty())).isInstanceOf(MailAccess.Problem.class);
        a.create("Entwürfe", Optional.empty());
        assertThat(Files.isDirectory(maildir().resolve(".Entw&APw-rfe/cur"))).isTrue();
        a.rename("Projects", "Old");
        assertThat(a.folders()).extracting(MailAccess.FolderInfo::name).contains("Old/2024").doesNotContain("Projects/2024");
        a.delete("Old/2024");
        assertThat(a.folder("Old/2024")).isEmpty();
        assertThatThrownBy(() -> a.delete("INBOX")).isInstanceOf(MailAccess.Problem.class);
    }

    @Test
    void quotaCountsEveryFolderOnlyWhenThereIsALimit() throws Exception {
        Folders folders = new Folders(root, new org.postwerk.io.PosixDisk(), ChangeLog.NONE, 1 << 20, Clock.systemUTC());
        MaildirAccess limited = new MaildirAccess(folders, maildir(), 10_000);
        limited.create("Archive/2024", Optional.empty());
        Files.writeString(maildir().resolve("cur/1.M1P1.host,S=100,W=104:2,S"), "x".repeat(100));
        Files.writeString(maildir().resolve(".Archive.2024/new/2.M2P2.host,S=200,W=210"), "y".repeat(200));
        MailAccess.Quota q = limited.quota();
        assertThat(q.usedBytes()).isEqualTo(314);
        assertThat(q.messages()).isEqualTo(2);
        assertThat(q.allows(9_686)).isTrue();
        assertThat(q.allows(9_687)).isFalse();
        // Without a limit the files are not listed (each APPEND asks): nothing counted, everything allowed.
        MailAccess.Quota none = new MaildirAccess(folders, maildir(), -1).quota();
        assertThat(none.usedBytes()).isEqualTo(-1);
        assertThat(none.limitBytes()).isEqualTo(-1);
        assertThat(none.allows(Long.MAX_VALUE / 2)).isTrue();
    }
}
