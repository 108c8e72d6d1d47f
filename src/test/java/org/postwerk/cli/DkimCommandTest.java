package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimSigner;
import picocli.CommandLine;

/** {@code postwerk dkim}: keygen writes a private key and prints its record; verify reads keys from --txt. */
class DkimCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new PostwerkCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void keygenThenSignThenVerify() throws Exception {
        assertThat(run("dkim", "keygen", "Example.org", "--algorithm", "ed25519", "--selector", "s1",
                "--data-dir", dir.toString())).isZero();
        Path key = dir.resolve("dkim/example.org/s1.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        String record = out.toString().lines().filter(l -> l.startsWith("s1._domainkey.example.org. IN TXT \""))
                .findFirst().orElseThrow();
        String txt = record.substring(record.indexOf('"') + 1, record.length() - 1);
        assertThat(txt).startsWith("v=DKIM1; k=ed25519; p=");

        List<DkimSigner.Key> keys = new DkimKeys(dir).forDomain("example.org");
        DkimSigner.Signing signing = new DkimSigner(keys, Clock.systemUTC()).begin();
        byte[] message = "From: a@example.org\r\nSubject: x\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII);
        signing.update(message, 0, message.length);
        Path signed = dir.resolve("signed.eml");
        Files.writeString(signed, (signing.finish() + new String(message, StandardCharsets.US_ASCII))
                .replace("\r\n", "\n"));

        out.getBuffer().setLength(0);
        assertThat(run("dkim", "verify", "--txt", "s1._domainkey.example.org=" + txt, "--message", signed.toString()))
                .isZero();
        assertThat(out.toString()).startsWith("dkim=pass header.d=example.org header.s=s1 header.b=");

        out.getBuffer().setLength(0);
        assertThat(run("dkim", "verify", "--txt", "other._domainkey.example.org=" + txt, "--message",
                signed.toString())).isEqualTo(1);
        assertThat(out.toString()).startsWith("dkim=permerror reason=\"no key for s1._domainkey.example.org\"");
    }

    @Test
    void keygenPicksAFreeSelectorAndNeverOverwrites() {
        assertThat(run("dkim", "keygen", "example.org", "--data-dir", dir.toString(), "--algorithm", "ed25519"))
                .isZero();
        assertThat(run("dkim", "keygen", "example.org", "--data-dir", dir.toString(), "--algorithm", "ed25519"))
                .isZero();
        assertThat(out.toString()).containsPattern("\\d{4}a\\._domainkey").containsPattern("\\d{4}b\\._domainkey");

        assertThat(run("dkim", "keygen", "example.org", "--data-dir", dir.toString(), "--selector", "x")).isZero();
        assertThat(run("dkim", "keygen", "example.org", "--data-dir", dir.toString(), "--selector", "x"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("exists");
    }

    @Test
    void keygenRefusesDomainsAndSelectorsThatAreNotNamesAndWritesNothing() throws Exception {
        Path data = dir.resolve("data");
        for (String domain : List.of("../../x", "..", "a/b.example", "*", "*.example", "a..example", "a-.example",
                "exa mple.org", "192.0.2.1", "")) {
            err.getBuffer().setLength(0);
            assertThat(run("dkim", "keygen", domain, "--data-dir", data.toString(), "--selector", "s1"))
                    .as(domain).isEqualTo(2);
            assertThat(err.toString()).as(domain).contains("bad domain");
        }
        for (String selector : List.of("../../x", "..", "a/b", ".s", "s.", "s..t", "s t", "")) {
            err.getBuffer().setLength(0);
            assertThat(run("dkim", "keygen", "example.org", "--data-dir", data.toString(), "--selector", selector))
                    .as(selector).isEqualTo(2);
            assertThat(err.toString()).as(selector).contains("bad selector");
        }
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void keygenKeepsTheDomainAsItsLowerCaseALabel() {
        assertThat(run("dkim", "keygen", "Bücher.Example", "--algorithm", "ed25519", "--selector", "s1",
                "--data-dir", dir.toString())).isZero();
        assertThat(dir.resolve("dkim/xn--bcher-kva.example/s1.key")).isRegularFile();
        assertThat(out.toString()).contains("s1._domainkey.xn--bcher-kva.example. IN TXT");
    }
}
