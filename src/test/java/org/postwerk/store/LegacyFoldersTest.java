package org.postwerk.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.store.LegacyFolders.Outcome;

/** A store written under the old, merging folder names: renamed when the owner is certain, else refused. */
class LegacyFoldersTest {
    @TempDir
    Path root;

    /** A Maildir as the old naming left it, holding one message. */
    private Path oldMaildir(String relative, String message) throws IOException {
        Path dir = root.resolve(relative);
        Files.createDirectories(dir.resolve("Maildir/new"));
        Files.createDirectories(dir.resolve("Maildir/cur"));
        Files.createDirectories(dir.resolve("Maildir/tmp"));
        Files.writeString(dir.resolve("Maildir/new/1.M1P1Q1.host"), message);
        return dir;
    }

    @Test
    void aFolderTwoAccountsSharedIsRefusedNamingBothAndNothingMoves() throws IOException {
        oldMaildir("localhost/a_b", "mail of a/b or of a_b");
        oldMaildir("localhost/_.hidden", "mail of .hidden or of _.hidden");
        Outcome outcome = LegacyFolders.migrate(new org.postwerk.io.PosixDisk(), root, List.of("a/b@localhost", "a_b@localhost", ".hidden@localhost",
                "_.hidden@localhost", "carol@localhost"));
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        List<LegacyFolders.Conflict> conflicts = ((Outcome.Refused) outcome).conflicts();
        assertThat(conflicts).extracting(LegacyFolders.Conflict::folder)
                .containsExactlyInAnyOrder(root.resolve("localhost/a_b"), root.resolve("localhost/_.hidden"));
        assertThat(conflicts).filteredOn(c -> c.folder().endsWith("a_b")).singleElement().satisfies(c -> assertThat(
                c.problem()).contains("a/b@localhost and a_b@localhost", "localhost/a%2Fb for a/b@localhost"));
        assertThat(conflicts).filteredOn(c -> c.folder().endsWith("_.hidden")).singleElement().satisfies(c -> assertThat(
                c.problem()).contains(".hidden@localhost and _.hidden@localhost"));
        assertThat(root.resolve("localhost/a_b/Maildir/new/1.M1P1Q1.host")).hasContent("mail of a/b or of a_b");
        assertThat(root.resolve("localhost/a%2Fb")).doesNotExist();
        assertThat(root.resolve(MailboxNames.MARKER)).doesNotExist();
        // Still refused on the next start: the folder is still ambiguous.
        assertThat(LegacyFolders.migrate(new org.postwerk.io.PosixDisk(), root, List.of("a/b@localhost", "a_b@localhost")))
                .isInstanceOf(Outcome.Refused.class);
    }

    @Test
    void aFolderOnlyOneAccountCanOwnIsRenamedToItsNewName() throws IOException {
        oldMaildir("localhost/a_b", "mail of a/b");
        oldMaildir("localhost/_.hidden", "mail of .hidden");
        oldMaildir("bücher.example/alice", "mail of alice@bücher.example");
        oldMaildir("localhost/carol", "mail of carol");
        Outcome outcome = LegacyFolders.migrate(new org.postwerk.io.PosixDisk(), root, List.of("a/b@localhost",
                ".hidden@localhost",
                "alice@xn--bcher-kva.example", "carol@localhost"));
        assertThat(outcome).isInstanceOf(Outcome.Migrated.class);
        assertThat(((Outcome.Migrated) outcome).moves()).extracting(LegacyFolders.Move::account)
                .containsExactlyInAnyOrder("a/b@localhost", ".hidden@localhost", "alice@xn--bcher-kva.example");
        Maildir store = new Maildir(root, "host", new org.postwerk.io.PosixDisk());
        assertThat(store.folder("a/b@localhost", MailboxStore.INBOX).resolve("new/1.M1P1Q1.host")).hasContent("mail of a/b");
        assertThat(store.folder(".hidden@localhost", MailboxStore.INBOX).resolve("new/1.M1P1Q1.host"))
                .hasContent("mail of .hidden");
        assertThat(store.folder("alice@xn--bcher-kva.example", MailboxStore.INBOX).resolve("new/1.M1P1Q1.host"))
                .hasContent("mail of alice@bücher.example");
        assertThat(store.folder("carol@localhost", MailboxStore.INBOX).resolve("new/1.M1P1Q1.host")).hasContent("mail of carol");
        assertThat(root.resolve("localhost/a_b")).doesNotExist();
        assertThat(root.resolve("localhost/_.hidden")).doesNotExist();
        assertThat(root.resolve(MailboxNames.MARKER)).exists();
    }

    @Test
    void anOldAndANewFolderForOneAccountAreRefused() throws IOException {
        oldMaildir("localhost/a_b", "old mail of a/b");
        oldMaildir("localhost/a%2Fb", "new mail of a/b");
        Outcome outcome = LegacyFolders.migrate(new org.postwerk.io.PosixDisk(), root, List.of("a/b@localhost"));
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(((Outcome.Refused) outcome).conflicts()).singleElement().satisfies(c -> {
            assertThat(c.folder()).isEqualTo(root.resolve("localhost/a_b"));
            assertThat(c.problem()).contains("a/b@localhost", "localhost/a%2Fb", "exists too");
        });
    }

    @Test
    void onceInTheNewNamingTheCheckIsNotMadeAgain() throws IOException {
        assertThat(LegacyFolders.migrate(new org.postwerk.io.PosixDisk(), root, List.of("a/b@localhost"))).isEqualTo(new Outcome.Migrated(List.of()));
        assertThat(root.resolve(MailboxNames.MARKER)).exists();
        // New accounts whose new folders look like old ones of others: no longer a question.
        oldMaildir("localhost/a_b", "mail of a_b, delivered under the new naming");
        oldMaildir("localhost/a%2Fb", "mail of a/b");
        assertThat(LegacyFolders.migrate(new org.postwerk.io.PosixDisk(), root, List.of("a/b@localhost", "a_b@localhost")))
                .isEqualTo(new Outcome.Migrated(List.of()));
        assertThat(root.resolve("localhost/a_b/Maildir/new/1.M1P1Q1.host")).exists();
    }
}
