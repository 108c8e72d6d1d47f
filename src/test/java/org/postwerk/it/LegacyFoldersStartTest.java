package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigException;
import org.postwerk.config.DnsConfig;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;

/**
 * The server's start on a store written under the old folder naming: a folder two accounts shared stops the
 * start with the folder and both accounts named; a folder with one possible owner is renamed for it.
 */
class LegacyFoldersStartTest {
    @TempDir
    Path dir;

    private Config config() {
        Config d = Config.defaults(dir);
        InetAddress lo = InetAddress.getLoopbackAddress();
        return new Config("mx.example.test", dir.resolve("data"), List.of("localhost"), List.of(),
                List.of(new ListenerConfig(Role.SMTP, new InetSocketAddress(lo, 0), false)), d.tls(),
                new DnsConfig(List.of(new InetSocketAddress(lo, 9)), Duration.ofSeconds(1)), d.limits(),
                d.timeouts(), d.smtp(), d.queue(), List.of(), d.auth(), d.storage(), d.login(), d.imap(), d.pop3(), d.web(), d.log());
    }

    /** Accounts as an older Postwerk let them be made: {@code user add} refuses a '/' now. */
    private void users(String... addresses) throws IOException {
        AccountStore store = new AccountStore(dir.resolve("data/accounts"), AccountSettings.of(Set.of("localhost")));
        AccountEditor editor = new AccountEditor(store);
        for (int i = 0; i < addresses.length; i++) {
            editor.addUser("placeholder" + i + "@localhost", "pw".toCharArray());
        }
        Path users = dir.resolve("data/accounts/users");
        String text = Files.readString(users);
        for (int i = 0; i < addresses.length; i++) {
            text = text.replace("placeholder" + i + "@localhost", addresses[i]);
        }
        Files.writeString(users, text);
    }

    private void oldInbox(String user, String message) throws IOException {
        Path maildir = dir.resolve("data/mail/localhost").resolve(user).resolve("Maildir");
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        Files.writeString(maildir.resolve("new/1.M1P1Q1.old"), message);
    }

    @Test
    void aSharedOldFolderStopsTheStartNamingTheFolderAndTheAccounts() throws IOException {
        users("a/b@localhost", "a_b@localhost");
        oldInbox("a_b", "whose?");
        assertThatThrownBy(() -> Postwerk.start(config()).close()).isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("data/mail/localhost/a_b").toString())
                .hasMessageContaining("a/b@localhost and a_b@localhost");
        assertThat(dir.resolve("data/mail/localhost/a_b/Maildir/new/1.M1P1Q1.old")).hasContent("whose?");
    }

    @Test
    void anOldFolderWithOneOwnerIsRenamedAtStart() throws IOException {
        users("a/b@localhost");
        oldInbox("a_b", "for a/b");
        Postwerk.start(config()).close();
        assertThat(dir.resolve("data/mail/localhost/a%2Fb/Maildir/new/1.M1P1Q1.old")).hasContent("for a/b");
        assertThat(dir.resolve("data/mail/localhost/a_b")).doesNotExist();
    }
}
