package org.postwerk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every validation rule: the problem names the right line and key and says what is wrong. */
class ConfigValidationTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("cert.pem"), "not checked here");
        Files.writeString(dir.resolve("key.pem"), "not checked here");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // TOML syntax and types
                bad("hostname = ", 1, "", "TOML syntax"),
                bad("hostname = 5", 1, "hostname", "must be a string, got integer 5"),
                bad("[limits]\nrecipients = \"100\"", 2, "limits.recipients", "must be an integer, got string \"100\""),
                bad("[smtp]\nvrfy = \"yes\"", 2, "smtp.vrfy", "must be true or false, got string \"yes\""),
                bad("relay_networks = \"127.0.0.0/8\"", 1, "relay_networks", "must be an array of strings"),
                bad("relay_networks = [\"127.0.0.0/8\",\n  8]", 2, "relay_networks", "got integer 8 in it"),
                bad("tls = \"on\"", 1, "tls", "must be a table ([tls]), got string \"on\""),
                bad("[listener]\nrole = \"smtp\"", 1, "listener", "must be an array of tables ([[listener]])"),
                // unknown keys, with and without a suggestion
                bad("[limits]\nrecipents = 5", 2, "limits.recipents", "unknown key; did you mean \"recipients\"?"),
                bad("[limits]\nmessageSize = 5", 2, "limits.messageSize", "did you mean \"message_size\"?"),
                bad("colour = \"blue\"", 1, "colour", "unknown key"),
                bad("[limit]\nrecipients = 5", 1, "limit", "unknown section; did you mean \"limits\"?"),
                bad("[[listeners]]\nrole = \"smtp\"", 1, "listeners", "did you mean \"listener\"?"),
                bad("[queue]\nmax_life = \"5d\"", 2, "queue.max_life", "did you mean \"max_lifetime\"?"),
                bad("[[route]]\ndomain = \"*\"\nhost = \"h.example\"\nauth_usr = \"u\"", 4, "route.auth_usr",
                        "did you mean \"auth_user\"?"),
                // hostname and domains
                bad("hostname = \"mail_server.example\"", 1, "hostname", "not a valid domain name"),
                bad("hostname = \"-mail.example\"", 1, "hostname", "not a valid domain name"),
                bad("hostname = \"mail.example.\"", 1, "hostname", "must not end with a dot"),
                bad("hostname = \"192.0.2.1\"", 1, "hostname", "is an address, not a domain name"),
                bad("hostname = \"" + "a".repeat(64) + ".example\"", 1, "hostname", "not a valid domain name"),
                bad("local_domains = [\"example.com\",\n \"example..org\"]", 2, "local_domains", "\"example..org\""),
                bad("local_domains = []", 1, "local_domains", "must list at least one domain"),
                bad("local_domains = [\"a.example\", \"A.example\"]", 1, "local_domains", "\"a.example\" is listed twice"),
                bad("data_dir = \"\"", 1, "data_dir", "must not be empty"),
                // rate limits
                bad("[rate_limits]\nmessages_per_user = \"500\"", 2, "rate_limits.messages_per_user",
                        "must be \"COUNT/WINDOW\" such as \"500/1h\", or \"off\""),
                bad("[rate_limits]\nmessages_per_user = \"many/1h\"", 2, "rate_limits.messages_per_user",
                        "the count before \"/\" must be a number"),
                bad("[rate_limits]\nrecipients_per_ip = \"0/1h\"", 2, "rate_limits.recipients_per_ip",
                        "must count 1 to 100000000 events in 1s to 7d"),
                bad("[rate_limits]\nconnections_per_ip = \"5/30d\"", 2, "rate_limits.connections_per_ip",
                        "must count 1 to 100000000 events in 1s to 7d"),
                bad("[rate_limits]\nharvest_delay_after = 5\nharvest_disconnect_after = 5", 3,
                        "rate_limits.harvest_disconnect_after", "must be more than harvest_delay_after (5), got 5"),
                bad("[rate_limits]\nharvest_delay = \"5s\"\nharvest_max_delay = \"1s\"", 3,
                        "rate_limits.harvest_max_delay", "must not be less than harvest_delay (5s)"),
                bad("[rate_limits]\nexempt_users = [\"\"]", 2, "rate_limits.exempt_users", "must not be empty"),
                // srs
                bad("[srs]\nmax_age = \"2d\"", 2, "srs.max_age", "must be between 5d and 1000d"),
                bad("[srs]\ndomain = \"not a domain\"", 2, "srs.domain", "not a valid domain name"),
                bad("[srs]\nexclude_domains = [\"ok.example\", \"-bad.example\"]", 2, "srs.exclude_domains",
                        "not a valid domain name"),
                bad("[srs]\nsecret_file = \"\"", 2, "srs.secret_file", "must not be empty"),
                // networks
                bad("relay_networks = [\"10.0.0.0/33\"]", 1, "relay_networks", "prefix length must be 0-32"),
                bad("relay_networks = [\"10.0.0.1/8\"]", 1, "relay_networks", "write 10.0.0.0/8 for the network"),
                bad("relay_networks = [\"intranet\"]", 1, "relay_networks", "not an IP network: \"intranet\""),
                // listeners
                bad("[[listener]]\nrole = \"smtp\"\nport = 0", 3, "listener.port", "must be between 1 and 65535, got 0"),
                bad("[[listener]]\nrole = \"smtp\"\nport = 70000", 3, "listener.port", "got 70000"),
                bad("[[listener]]\nrole = \"smpt\"", 2, "listener.role",
                        "must be \"smtp\", \"submission\", \"submissions\", \"imap\", \"imaps\", \"pop3\","
                        + " \"pop3s\", \"web\", \"http\" or \"ops\", got \"smpt\""),
                // the operators' listener: no login, so loopback unless said otherwise
                bad("[[listener]]\nrole = \"ops\"\naddress = \"0.0.0.0\"", 3, "listener.address",
                        "is not a loopback address: /metrics and /health have no login; set public = true"),
                bad("[[listener]]\nrole = \"ops\"\naddress = \"::\"\npublic = false", 3, "listener.address",
                        "set public = true"),
                bad("[[listener]]\nrole = \"ops\"\nproxy_protocol = true", 3, "listener.proxy_protocol",
                        "is not supported on the ops listener"),
                bad("[[listener]]\nrole = \"ops\"\n[[listener]]\nrole = \"ops\"\nport = 2081", 4, "listener.role",
                        "only one listener may have role = \"ops\""),
                bad("[[listener]]\nrole = \"smtp\"\npublic = true", 3, "listener.public", "unknown key"),
                bad("[log]\nformat = \"xml\"", 2, "log.format", "xml"),
                bad("[log]\nlevel = \"loud\"", 2, "log.level", "must be one of error, warn, info, debug, trace"),
                bad("[[listener]]\nport = 25", 1, "listener.role", "missing"),
                bad("[[listener]]\nrole = \"web\"\nproxy_protocol = true", 3, "listener.proxy_protocol",
                        "is not supported on the web listeners"),
                bad("[pop3]\nidle_timeout = \"5m\"", 2, "pop3.idle_timeout", "10m"),
                bad("[web]\nrequest_size = \"2MiB\"", 2, "web.request_size", ""),
                bad("[[listener]]\nrole = \"smtp\"\naddress = \"localhost\"", 3, "listener.address",
                        "must be an IP address"),
                bad("listener = []", 1, "listener", "at least one [[listener]] is needed"),
                bad("[[listener]]\nrole = \"smtp\"\nport = 2525\n[[listener]]\nrole = \"submission\"\nport = 2525",
                        6, "listener.port", "127.0.0.1:2525 is already taken by the listener on 127.0.0.1:2525 at line 1"),
                bad("[[listener]]\nrole = \"smtp\"\naddress = \"0.0.0.0\"\n[[listener]]\nrole = \"smtp\"\n"
                        + "address = \"192.0.2.1\"", 4, "listener.port", "already taken by the listener on 0.0.0.0:25"),
                bad("[[listener]]\nrole = \"smtp\"\naddress = \"::\"\n[[listener]]\nrole = \"smtp\"\n"
                        + "address = \"192.0.2.1\"", 4, "listener.port", "already taken by the listener on [::]:25"),
                // tls
                bad("[tls]\ncertificate = \"cert.pem\"", 2, "tls.certificate", "needs tls.key too"),
                bad("[tls]\nkey = \"key.pem\"", 2, "tls.key", "needs tls.certificate too"),
                bad("[tls]\ncertificate = \"missing.pem\"\nkey = \"key.pem\"", 2, "tls.certificate", "file not found: "),
                bad("[tls]\ncertificate = \"cert.pem\"\nkey = \"nokey.pem\"", 3, "tls.key", "nokey.pem"),
                bad("[tls]\nprotocols = [\"TLSv1.3\", \"TLSv1.1\"]", 2, "tls.protocols", "\"TLSv1.1\" is not allowed"),
                bad("[tls]\nprotocols = []", 2, "tls.protocols", "must name at least one"),
                bad("[tls]\nprotocols = [\"TLSv1.2\", \"TLSv1.2\"]", 2, "tls.protocols", "twice"),
                // dns
                bad("[dns]\nservers = [\"dns.example\"]", 2, "dns.servers", "not an IP address with optional port"),
                bad("[dns]\nservers = [\"127.0.0.1:99999\"]", 2, "dns.servers", "port must be between 1 and 65535"),
                bad("[dns]\ntimeout = \"soon\"", 2, "dns.timeout", "not a duration: \"soon\""),
                // limits
                bad("[limits]\nrecipients = 0", 2, "limits.recipients", "must be between 1 and 100000, got 0"),
                bad("[limits]\nmessage_size = 0", 2, "limits.message_size", "must be between 1 byte and 1TiB, got 0"),
                bad("[limits]\nmessage_size = \"10 parsecs\"", 2, "limits.message_size", "not a size: \"10 parsecs\""),
                bad("[limits]\nmessage_size = 1.5", 2, "limits.message_size", "got float 1.5"),
                bad("[limits]\ntext_line = 999", 2, "limits.text_line", "must be between 1000 and"),
                bad("[limits]\ncommand_line = 511", 2, "limits.command_line", "must be between 512 and"),
                bad("[limits]\nconnections = 10\nconnections_per_ip = 11", 3, "limits.connections_per_ip",
                        "must not exceed limits.connections (10), got 11"),
                bad("[limits]\nconnections_per_ip = 30\nconnections_per_network = 29", 3,
                        "limits.connections_per_network", "must not be less than limits.connections_per_ip (30), got 29"),
                bad("[limits]\nnetwork_prefix_ipv4 = 33", 2, "limits.network_prefix_ipv4", "must be between 8 and 32"),
                bad("[limits]\nnetwork_prefix_ipv6 = 8", 2, "limits.network_prefix_ipv6", "must be between 16 and 128"),
                bad("[limits]\nstress_threshold = 0", 2, "limits.stress_threshold", "must be between 1 and 100"),
                bad("[limits]\nstress_connections_per_network = 0", 2, "limits.stress_connections_per_network",
                        "must be between 1 and 1000000"),
                bad("[limits]\nerrors = 0", 2, "limits.errors", "must be between 1 and 1000"),
                bad("[limits]\nauth_failures = -1", 2, "limits.auth_failures", "got -1"),
                bad("[limits]\nauth_failure_delay = \"2m\"", 2, "limits.auth_failure_delay",
                        "must be between 0s and 1m, got 2m"),
                // timeouts
                bad("[timeouts]\ncommand = \"5 minutes\"", 2, "timeouts.command", "not a duration: \"5 minutes\""),
                bad("[timeouts]\ncommand = 300", 2, "timeouts.command", "must be a string, got integer 300"),
                bad("[timeouts]\nstress_command = \"0s\"", 2, "timeouts.stress_command", "must be between"),
                bad("[timeouts]\ndata_block = \"0s\"", 2, "timeouts.data_block", "must be between 1ms and 1d, got 0s"),
                bad("[timeouts]\nsession = \"PT-5M\"", 2, "timeouts.session", "got PT-5M"),
                // smtp
                bad("[smtp]\npostmaster = \"postmaster\"", 2, "smtp.postmaster", "must be an address like"),
                bad("[smtp]\npostmaster = \"pm@elsewhere.example\"", 2, "smtp.postmaster",
                        "must be an account in one of local_domains [localhost]"),
                bad("[smtp]\nbare_newline = \"yes\"", 2, "smtp.bare_newline",
                        "must be one of [\"normalize\", \"reject\"], got \"yes\""),
                bad("[storage]\nmin_free = 0", 2, "storage.min_free", "must be between 1 byte and 1TiB, got 0"),
                // queue
                bad("[queue]\nretry = []", 2, "queue.retry", "must list at least one interval"),
                bad("[queue]\nretry = [\"5m\",\n \"0s\"]", 3, "queue.retry", "between 1s and 7d, got \"0s\""),
                bad("[queue]\nmax_lifetime = \"1h\"\ndelay_warning = \"2h\"", 3, "queue.delay_warning",
                        "must be shorter than queue.max_lifetime (1h)"),
                bad("[queue]\ndelay_warning = 4", 2, "queue.delay_warning", "must be a string, got integer 4"),
                bad("[queue]\nconcurrency = 5\nper_destination = 6", 3, "queue.per_destination",
                        "must not exceed queue.concurrency (5), got 6"),
                bad("[queue]\nconcurrency = 0", 2, "queue.concurrency", "must be between 1 and 10000, got 0"),
                bad("[queue]\ndsn_max_return = 0", 2, "queue.dsn_max_return",
                        "must be between 1 byte and 1GiB, got 0"),
                // routes
                bad("[[route]]\ndomain = \"example.com\"", 1, "route.host", "missing"),
                bad("[[route]]\nhost = \"smtp.example\"", 1, "route.domain", "missing"),
                bad("[[route]]\ndomain = \"ex ample.com\"\nhost = \"h.example\"", 2, "route.domain", "not a valid domain"),
                bad("[[route]]\ndomain = \"*\"\nhost = \"h.example\"\nport = 0", 4, "route.port", "between 1 and 65535"),
                bad("[[route]]\ndomain = \"*\"\nhost = \"h.example\"\nauth_user = \"u\"\nrequire_tls = true", 4,
                        "route.auth_user", "needs route.auth_password too"),
                bad("[[route]]\ndomain = \"*\"\nhost = \"h.example\"\nauth_user = \"u\"\nauth_password = \"p\"", 4,
                        "route.auth_user", "the password would be sent without TLS"),
                bad("[[route]]\ndomain = \"a.example\"\nhost = \"h.example\"\n[[route]]\ndomain = \"A.example\"\n"
                        + "host = \"i.example\"", 5, "route.domain", "\"a.example\" has a route already"),
                // milters
                bad("[[milter]]\nname = \"rspamd\"", 1, "milter.address", "missing"),
                bad("[[milter]]\nname = \"r\"\naddress = \"127.0.0.1\"", 3, "milter.address", "host:port"),
                bad("[[milter]]\nname = \"r\"\naddress = \"unix:run/x\"", 3, "milter.address", "absolute path"),
                bad("[[milter]]\nname = \"r\"\naddress = \"[::1]:11332\"\ndefault_action = \"reject\"", 4,
                        "milter.default_action", "\"tempfail\" or \"accept\""),
                bad("[[milter]]\nname = \"rspamd\"\naddress = \"127.0.0.1:11332\"\n[[listener]]\nrole = \"smtp\"\n"
                        + "milters = [\"rspamd\", \"rspamdd\"]", 6, "listener.milters",
                        "\"rspamdd\" is not a [[milter]] name; did you mean \"rspamd\"?"),
                bad("[[listener]]\nrole = \"smtp\"\nmilters = [\"clamav\"]", 3, "listener.milters",
                        "add a [[milter]] with name = \"clamav\""),
                bad("[milter_policy]\njunk_headers = [\"X Spam\"]", 2, "milter_policy.junk_headers",
                        "header field name"));
    }

    private static Arguments bad(String toml, int line, String key, String message) {
        return Arguments.of(toml, line, key, message);
    }

    @ParameterizedTest(name = "{2}: {3}")
    @MethodSource("cases")
    void reportsLineKeyAndProblem(String toml, int line, String key, String message) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(toml, dir, "t.toml"));
        assertThat(e).as("no problem reported for:%n%s", toml).isNotNull();
        assertThat(e.problems())
                .as(e.getMessage())
                .anySatisfy(p -> {
                    assertThat(p.line()).isEqualTo(line);
                    assertThat(p.key()).isEqualTo(key);
                    assertThat(p.message()).contains(message);
                    assertThat(p.source()).isEqualTo("t.toml");
                });
    }

    @Test
    void messageIsFileLineKeyProblem() {
        assertThatThrownBy(() -> ConfigLoader.parse("\n[limits]\nrecipients = 0\n", dir, "postwerk.toml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("postwerk.toml:3: limits.recipients: must be between 1 and 100000, got 0");
    }

    @Test
    void everyProblemIsReportedInFileOrder() {
        String toml = """
                hostname = "bad_name"
                [limits]
                recipients = 0
                text_line = 80
                [timeouts]
                command = "soon"
                colour = 1
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(toml, dir, "p.toml"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly(
                "hostname", "limits.recipients", "limits.text_line", "timeouts.command", "timeouts.colour");
        assertThat(e.problems()).extracting(ConfigProblem::line).containsExactly(1, 3, 4, 6, 7);
        assertThat(e.getMessage().lines()).hasSize(5).allMatch(l -> l.matches("p\\.toml:\\d+: [a-z_.]+: .+"));
    }

    @Test
    void aBadLocalDomainIsOneProblemNotThree() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(
                "local_domains = [\"bad_domain\"]\n[smtp]\npostmaster = \"pm@bad_domain\"", dir, "t.toml"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("local_domains", "smtp.postmaster");
        assertThat(e.problems().get(1).message()).contains("is not a valid domain name");
    }

    @Test
    void aTypoWithoutCloseKeyHasNoSuggestion() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse("[limits]\nzzz = 1", dir, "t.toml"));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("unknown key"));
    }

    @Test
    void missingFileIsOneProblem() {
        Path missing = dir.resolve("nope.toml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));
        assertThat(e.problems()).singleElement().hasToString(missing + ": no such file");
    }

    @Test
    void problemWithoutLineOmitsIt() {
        assertThat(new ConfigProblem("f.toml", 0, "", "no such file")).hasToString("f.toml: no such file");
        assertThat(new ConfigProblem("f.toml", 4, "k", "bad")).hasToString("f.toml:4: k: bad");
    }
}
