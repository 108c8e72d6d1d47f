package org.postwerk.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrganizationalDomainsTest {
    private static final OrganizationalDomains PSL = OrganizationalDomains.bundled();

    @ParameterizedTest
    @CsvSource({
            "example.com, example.com",
            "mail.Example.COM., example.com",
            "a.b.c.example.org, example.org",
            "example.co.uk, example.co.uk",
            "a.b.example.co.uk, example.co.uk",
            // A public suffix has no organisational domain: it stays itself and aligns only with itself.
            "co.uk, co.uk",
            "com, com",
            // Wildcard and exception rules: *.kawasaki.jp, !city.kawasaki.jp.
            "a.b.kawasaki.jp, a.b.kawasaki.jp",
            "x.city.kawasaki.jp, city.kawasaki.jp",
            // The private section counts: each github.io user is an organisation of its own.
            "www.alice.github.io, alice.github.io",
            // A TLD the list does not know follows the default rule "*".
            "mail.example.unknowntld, example.unknowntld",
            // IDN: U-labels in, A-labels out.
            "mail.bücher.de, xn--bcher-kva.de",
            "www.xn--bcher-kva.de, xn--bcher-kva.de",
    })
    void organisationalDomainOfBundledList(String domain, String expected) {
        assertThat(PSL.of(domain)).isEqualTo(expected);
    }

    @Test
    void aNewerListFileReplacesTheBundledOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("public_suffix_list.dat");
        Files.writeString(file, """
                // ===BEGIN ICANN DOMAINS===
                com
                example.com
                // ===END ICANN DOMAINS===
                """);
        OrganizationalDomains newer = OrganizationalDomains.from(Optional.of(file));
        // example.com is a public suffix in this list, so the organisation is one label further left.
        assertThat(newer.of("mail.tenant.example.com")).isEqualTo("tenant.example.com");
        assertThat(PSL.of("mail.tenant.example.com")).isEqualTo("example.com");
        assertThat(OrganizationalDomains.from(Optional.empty()).of("a.example.co.uk")).isEqualTo("example.co.uk");
    }
}
