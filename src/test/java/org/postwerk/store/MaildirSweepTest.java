package org.postwerk.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.io.PosixDisk;

/** The start-up cleanup of Maildir tmp/ folders: a crash's leftovers go after 36 hours, nothing else. */
class MaildirSweepTest {
    private static final String ALICE = "alice@example.org";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path root;

    @Test
    void filesInTmpNotTouchedFor36HoursAreRemovedInEveryMaildirAndSubfolder() throws IOException {
        Maildir store = new Maildir(root.resolve("mail"), "mx.example.org", new PosixDisk());
        deliver(store, MailboxStore.INBOX);
        deliver(store, "Junk");
        Path inbox = store.folder(ALICE, MailboxStore.INBOX);
        Path junk = store.folder(ALICE, "Junk");
        Path crashed = file(inbox.resolve("tmp/1.M1P1Q1.mx"), Duration.ofHours(37));
        Path crashedInJunk = file(junk.resolve("tmp/1.M1P1Q2.mx"), Duration.ofDays(30));
        Path young = file(inbox.resolve("tmp/1.M1P1Q3.mx"), Duration.ofHours(35)); // another program's, maybe
        Path oldInNew = file(inbox.resolve("new/1.M1P1Q4.mx,S=5"), Duration.ofDays(30));
        Path oldInCur = file(inbox.resolve("cur/1.M1P1Q5.mx,S=5:2,S"), Duration.ofDays(30));
        Path notAMaildir = file(root.resolve("mail/example.org/tmp/old"), Duration.ofDays(30));

        assertThat(store.sweep(NOW)).isEqualTo(2);

        assertThat(crashed).doesNotExist();
        assertThat(crashedInJunk).doesNotExist();
        assertThat(List.of(young, oldInNew, oldInCur, notAMaildir)).allSatisfy(p -> assertThat(p).exists());
        assertThat(junk.resolve("maildirfolder")).exists();
        assertThat(store.sweep(NOW)).isZero();
    }

    @Test
    void aStoreNotYetCreatedHasNothingToSweep() throws IOException {
        assertThat(new Maildir(root.resolve("mail"), "mx.example.org", new PosixDisk()).sweep(NOW)).isZero();
    }

    private static void deliver(Maildir store, String folder) throws IOException {
        try (MailboxStore.Delivery d = store.open(List.of(ALICE), folder)) {
            d.out().write("Subject: x\r\n\r\nbody\r\n".getBytes(UTF_8));
            d.commit();
        }
    }

    /** A file last modified and accessed {@code age} before NOW. */
    private static Path file(Path p, Duration age) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        FileTime t = FileTime.from(NOW.minus(age));
        Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(t, t, null);
        return p;
    }
}
