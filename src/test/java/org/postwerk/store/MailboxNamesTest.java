package org.postwerk.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Account and folder names to directories: one directory per account, never outside the store. */
class MailboxNamesTest {
    @TempDir
    Path dir;

    private Path folder(String account) {
        return new Maildir(dir, "host", new org.postwerk.io.PosixDisk()).folder(account, MailboxStore.INBOX);
    }

    @Test
    void addressesThatTheOldMappingMergedGetDifferentFolders() {
        assertThat(folder("a/b@localhost")).isNotEqualTo(folder("a_b@localhost"));
        assertThat(folder(".hidden@localhost")).isNotEqualTo(folder("_.hidden@localhost"));
        assertThat(folder("a\\b@localhost")).isNotEqualTo(folder("a_b@localhost")).isNotEqualTo(folder("a/b@localhost"));
        assertThat(folder("a\0b@localhost")).isNotEqualTo(folder("a_b@localhost"));
        assertThat(folder("a/b@localhost")).isEqualTo(dir.toAbsolutePath().resolve("localhost/a%2Fb/Maildir"));
        assertThat(folder(".hidden@localhost")).isEqualTo(dir.toAbsolutePath().resolve("localhost/%2Ehidden/Maildir"));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "->", value = {
            "alice                -> alice",
            "first.last+tag_x-y   -> first.last+tag_x-y",
            ".                    -> %2E",
            "..                   -> %2E%2E",
            "...                  -> %2E.%2E",
            "a.                   -> a%2E",
            "-rf                  -> %2Drf",
            "a-                   -> a-",
            "a%2Fb                -> a%252%46b",
            "Alice                -> %41lice",
            "o'brien              -> o%27brien",
            "ñandú                -> %C3%B1and%C3%BA",
    })
    void localPartsAreEscapedByOneRule(String local, String directory) {
        assertThat(MailboxNames.localPart(local)).isEqualTo(directory);
    }

    @Test
    void everyLocalPartStaysOneDirectoryBelowItsDomain() {
        for (String local : List.of(".", "..", "../..", "/", "a/../../b", "\\..\\", "\0", "%2E%2E")) {
            Path p = folder(local + "@localhost");
            assertThat(p.normalize()).isEqualTo(p);
            assertThat(p.getParent().getParent().getFileName().toString()).isEqualTo("localhost");
            assertThat(p.getParent().getParent().getParent()).isEqualTo(dir.toAbsolutePath());
        }
    }

    @Test
    void uLabelAndALabelSpellingsOfADomainShareOneFolderAndOddDomainsCannotPassForOne() {
        assertThat(folder("alice@bücher.example")).isEqualTo(folder("alice@XN--BCHER-KVA.example"))
                .isEqualTo(folder("alice@Bücher.Example"))
                .isEqualTo(dir.toAbsolutePath().resolve("xn--bcher-kva.example/alice/Maildir"));
        assertThat(MailboxNames.domain("..")).isEqualTo("%%2E%2E");
        assertThat(MailboxNames.domain("../x")).isEqualTo("%%2E.%2Fx");
        assertThat(MailboxNames.domain("a_b.example")).isEqualTo("%a_b.example");
        assertThat(MailboxNames.domain("*")).isEqualTo("%%2A");
        assertThatThrownBy(() -> folder("no-at-sign")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> folder("@localhost")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foldersKeepCaseForDovecotAndCannotClimb() {
        Maildir store = new Maildir(dir, "host", new org.postwerk.io.PosixDisk());
        Path inbox = store.folder("alice@localhost", MailboxStore.INBOX);
        assertThat(store.folder("alice@localhost", "Junk")).isEqualTo(inbox.resolve(".Junk"));
        assertThat(store.folder("alice@localhost", "..")).isEqualTo(inbox.resolve(".%2E%2E"));
        assertThat(store.folder("alice@localhost", "a/b")).isEqualTo(inbox.resolve(".a%2Fb"));
    }

    /**
     * Injective, also where the file system ignores case: many random names from an alphabet of the awkward
     * characters; any two different names must give names that differ even after case folding.
     */
    @Test
    void randomNamesNeverCollideEvenIgnoringCase() {
        String alphabet = "aAbB_./\\\0%2E-+'ñÑ\u0301é";
        Random random = new Random(42);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder name = new StringBuilder();
            for (int n = 1 + random.nextInt(5); n > 0; n--) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String encoded = MailboxNames.localPart(name.toString());
            assertThat(encoded).matches("[a-z0-9_+.%A-F-]+").doesNotStartWith(".").doesNotEndWith(".");
            String previous = seen.putIfAbsent(encoded.toLowerCase(Locale.ROOT), name.toString());
            assertThat(previous == null || previous.contentEquals(name)).as(name + " and " + previous).isTrue();
        }
    }

    @Test
    void theNamesWorkOnARealFileSystem() throws Exception {
        for (String account : List.of("a/b@localhost", "a_b@localhost", ".hidden@localhost", "_.hidden@localhost",
                "..@localhost", ".@localhost")) {
            Maildir store = new Maildir(dir, "host", new org.postwerk.io.PosixDisk());
            try (var d = store.open(List.of(account), MailboxStore.INBOX)) {
                d.out().write(account.getBytes(StandardCharsets.UTF_8));
                d.commit();
            }
        }
        try (var domains = Files.list(dir)) {
            assertThat(domains.map(p -> p.getFileName().toString()).toList()).containsExactly("localhost");
        }
        try (var users = Files.list(dir.resolve("localhost"))) {
            assertThat(users.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("%2E", "%2E%2E", "%2Ehidden", "_.hidden", "a%2Fb", "a_b");
        }
    }
}
