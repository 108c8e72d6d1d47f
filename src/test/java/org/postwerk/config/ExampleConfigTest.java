package org.postwerk.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code postwerk.example.toml} tells the truth: it loads, it is the defaults, its optional parts are valid. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of("postwerk.example.toml");
    /** A setting ({@code key = }) or section header, possibly commented out as {@code #key = value}. */
    private static final Pattern KEY = Pattern.compile("(?m)^#?(?:\\[\\[?([a-z_][a-z0-9_]*)\\]\\]?|([a-z_][a-z0-9_]*) =)");

    @TempDir
    Path dir;

    @Test
    void exampleIsExactlyTheEmbeddedDefaults() {
        Config loaded = ConfigLoader.load(EXAMPLE);
        assertThat(loaded).isEqualTo(Config.defaults(EXAMPLE.toAbsolutePath().getParent()));
    }

    @Test
    void theCommentedOutSettingsAreValidToo() throws IOException {
        Files.writeString(dir.resolve("cert.pem"), "x");
        Files.writeString(dir.resolve("key.pem"), "x");
        Files.writeString(dir.resolve("psl.dat"), "com\n");
        Files.writeString(dir.resolve("private-ca.pem"), "x");
        Files.writeString(dir.resolve("root.key"), "x");
        String enabled = Files.readString(EXAMPLE)
                .replaceAll("(?m)^#public_suffix_list = .*$", "public_suffix_list = \"psl.dat\"")
                .replaceAll("(?m)^#(?=[a-z\\[])", "")
                .replaceAll("(?m)^certificate = .*$", "certificate = \"cert.pem\"")
                .replaceAll("(?m)^key = .*$", "key = \"key.pem\"");
        Config c = ConfigLoader.parse(enabled, dir, "enabled.toml");
        assertThat(c.tls().certificate()).contains(dir.toAbsolutePath().resolve("cert.pem"));
        assertThat(c.auth().publicSuffixList()).contains(dir.toAbsolutePath().resolve("psl.dat"));
        assertThat(c.srs().secretFile()).contains(Path.of("/etc/postwerk/srs.secret"));
        assertThat(c.mtaSts().caFile()).contains(dir.toAbsolutePath().resolve("private-ca.pem"));
        assertThat(c.dane().trustAnchor()).contains(dir.toAbsolutePath().resolve("root.key"));
        assertThat(c.mtaSts().serveMx()).containsExactly("mx.example.com", "*.mx.example.com");
        assertThat(c.routes()).singleElement().satisfies(r -> {
            assertThat(r.domain()).isEqualTo("*");
            assertThat(r.authUser()).contains("me@provider.example");
        });
        assertThat(c.tls().extra()).containsExactly(new TlsConfig.Pair(dir.toAbsolutePath().resolve("cert.pem"),
                dir.toAbsolutePath().resolve("key.pem")));
        assertThat(c.acme().email()).contains("postmaster@example.com");
        assertThat(c.acme().domains("h", List.of())).containsExactly("mail.example.com", "mta-sts.example.com");
        assertThat(c.milters().milters()).singleElement().satisfies(m -> assertThat(m.name()).isEqualTo("rspamd"));
        assertThat(c.listeners().getFirst().milters()).containsExactly("rspamd");
    }

    @Test
    void everyKeyOfTheExampleIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("docs/config.md"));
        String example = Files.readString(EXAMPLE);
        Set<String> sections = matches(example, 1);
        Set<String> keys = matches(example, 2);
        assertThat(sections).containsExactlyInAnyOrder("listener", "tls", "dns", "limits", "login", "imap", "pop3", "web",
                "timeouts", "smtp", "auth", "queue", "storage", "route", "log", "screen", "greylist", "rate_limits", "srs",
                "milter", "milter_policy", "mta_sts", "dane", "reports", "acme");
        assertThat(keys).hasSize(130);
        assertThat(sections).allSatisfy(s -> assertThat(docs).containsAnyOf("## `[" + s + "]`", "## `[[" + s + "]]`"));
        assertThat(keys).allSatisfy(k -> assertThat(docs).contains("| `" + k + "` |"));
    }

    private static Set<String> matches(String toml, int group) {
        Set<String> found = new TreeSet<>();
        Matcher m = KEY.matcher(toml);
        while (m.find()) {
            if (m.group(group) != null) {
                found.add(m.group(group));
            }
        }
        return found;
    }
}
