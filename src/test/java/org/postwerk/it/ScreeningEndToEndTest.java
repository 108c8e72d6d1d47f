package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;

/** {@code [screen]} and {@code [greylist]} from the file: a listed client refused, a new one greylisted, state kept. */
class ScreeningEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void listedClientsAreRefusedAndNewOnesGreylisted() throws Exception {
        TomlServer.alice(dir);
        try (TestDnsServer dns = new TestDnsServer("""
                $ORIGIN bl.example.
                @          3600 IN SOA ns hostmaster 1 3600 600 86400 60
                2.0.0.127   600 IN A 127.0.0.2
                """)) {
            try (Postwerk server = TomlServer.start(dir, "[]", dns, """
                    [screen]
                    dnsbl_sites = ["bl.example=127.0.0.[2..11]"]
                    [greylist]
                    enabled = true
                    """)) {
                try (SmtpScript s = SmtpScript.connect(server.listeners().getFirst().address(),
                        InetAddress.getByName("127.0.0.2"))) {
                    s.expect("220 .*").send("EHLO listed.example").expect("250 .*");
                    s.send("MAIL FROM:<a@sender.example>").expect(
                            "554 5\\.7\\.1 Service unavailable; client \\[127\\.0\\.0\\.2\\] blocked using bl\\.example");
                }
                try (SmtpScript s = SmtpScript.connect(server.listeners().getFirst().address(),
                        InetAddress.getByName("127.0.0.3"))) {
                    s.expect("220 .*").send("EHLO new.example").expect("250 .*");
                    s.send("MAIL FROM:<a@sender.example>").expect("250 .*");
                    s.send("RCPT TO:<alice@example.test>").expect("450 4\\.7\\.1 Greylisted, please try again in 300 seconds");
                }
            }
            assertThat(Files.readString(dir.resolve("data/greylist/state")))
                    .contains(" 127.0.0.0/24 ", " 0 a@sender.example alice@example.test");
        }
    }
}
