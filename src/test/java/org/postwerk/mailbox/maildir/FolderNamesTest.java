package org.postwerk.mailbox.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FolderNamesTest {
    @Test
    void dovecotLayout() {
        Path m = Path.of("/m/Maildir");
        assertThat(FolderNames.directory(m, "INBOX")).isEqualTo(m);
        assertThat(FolderNames.directory(m, "Archive/2024")).isEqualTo(m.resolve(".Archive.2024"));
        assertThat(FolderNames.directory(m, "Entwürfe")).isEqualTo(m.resolve(".Entw&APw-rfe"));
        assertThat(FolderNames.ofDirectory(".Entw&APw-rfe")).isEqualTo("Entwürfe");
        assertThat(FolderNames.ofDirectory(".Archive.2024")).isEqualTo("Archive/2024");
        assertThat(FolderNames.ofDirectory("cur")).isNull();
        assertThat(FolderNames.ofDirectory("..")).isNull();
    }

    @Test
    void refusesNamesThatDoNotMapBack() {
        assertThat(FolderNames.canonical("inbox")).isEqualTo("INBOX");
        assertThat(FolderNames.canonical("Inbox/Sub")).isEqualTo("INBOX/Sub");
        assertThat(FolderNames.canonical("a.b")).isNull();
        assertThat(FolderNames.canonical("a//b")).isNull();
        assertThat(FolderNames.canonical("/a")).isNull();
        assertThat(FolderNames.canonical("a\nb")).isNull();
        assertThat(FolderNames.canonical("x".repeat(201))).isNull();
        assertThat(FolderNames.canonical("..")).isNull();
    }
}
