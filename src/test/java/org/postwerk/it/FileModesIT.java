package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.SmtpScript;

/**
 * Everything the server keeps under its data folder is for its own user alone: every file 0600, every folder
 * 0700, given at creation (issue 9). Checked on the real server after the commands an operator runs, a delivery
 * to two mailboxes (one inode, two names), a queued message, a running journal (segment and lock), the TLS and
 * DKIM keys, account files and a sendmail request.
 */
class FileModesIT {
    @TempDir
    Path dir;

    @Test
    void everyFileUnderTheDataFolderIs0600AndEveryFolder0700() throws Exception {
        try (ServerProcess server = new ServerProcess(dir)) {
            server.addUser("alice@example.test", "secret-password");
            server.addUser("bob@example.test", "secret-password");
            server.cli("", "alias", "add", "fwd@example.test", "friend@elsewhere.example", "--config",
                    server.config.toString());
            server.cli("", "dkim", "keygen", "example.test", "--config", server.config.toString());
            server.start();
            try (SmtpScript s = SmtpScript.connect(new InetSocketAddress("127.0.0.1", server.smtp))) {
                s.expect("220 .*").send("EHLO modes.example").expect("250 .*");
                send(s, "alice@example.test", "bob@example.test");
                send(s, "fwd@example.test"); // to another domain: queued (its DNS is unreachable, so it waits)
            }
            server.cli("Subject: from a script\n\nhello\n", "sendmail", "alice@example.test", "--config",
                    server.config.toString());
            Thread.sleep(2500); // the queued entry's envelope file is written once it is a second old

            Path data = dir.resolve("data");
            assertThat(find(data, "mail/example.test/alice/Maildir/new")).hasSizeGreaterThanOrEqualTo(1);
            assertThat(find(data, "journal")).anyMatch(p -> p.toString().endsWith(".log"));
            assertThat(find(data, "queue")).anyMatch(p -> p.toString().endsWith(".eml"))
                    .anyMatch(p -> p.toString().endsWith(".env"));
            assertThat(find(data, "tls")).isNotEmpty();
            assertThat(find(data, "dkim/example.test")).isNotEmpty();
            assertThat(find(data, "accounts")).isNotEmpty();

            Map<String, String> wrong = new TreeMap<>();
            try (Stream<Path> all = Files.walk(data)) {
                for (Path p : all.toList()) {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                    if (!mode.equals(expected)) {
                        wrong.put(data.relativize(p).toString(), mode);
                    }
                }
            }
            assertThat(wrong).as("files not 0600 and folders not 0700 under data/").isEmpty();
        }
    }

    private static void send(SmtpScript s, String... rcpts) throws IOException {
        s.send("MAIL FROM:<sender@example.net>").expect("250 .*");
        for (String r : rcpts) {
            s.send("RCPT TO:<" + r + ">").expect("250 .*");
        }
        s.send("DATA").expect("354 .*");
        s.raw("Subject: modes\r\n\r\nhello\r\n.\r\n");
        s.expect("250 .*");
    }

    private static List<Path> find(Path data, String sub) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(data.resolve(sub))) {
            files.filter(Files::isRegularFile).forEach(found::add);
        }
        return found;
    }
}
