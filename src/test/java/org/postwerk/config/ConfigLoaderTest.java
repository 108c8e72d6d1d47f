package org.postwerk.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a valid file turns into: only what it sets changes, everything else stays the embedded default. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Config parse(String toml) {
        return ConfigLoader.parse(toml, dir, "t.toml");
    }

    private static InetSocketAddress socket(String ip, int port) {
        return new InetSocketAddress(Addresses.literal(ip).orElseThrow(), port);
    }

    @Test
    void emptyFileIsTheDefaults() {
        assertThat(parse("")).isEqualTo(Config.defaults(dir));
        assertThat(parse("# only a comment\n")).isEqualTo(Config.defaults(dir));
    }

    @Test
    void rateLimitsAreReadOrTurnedOff() {
        Config c = parse("[rate_limits]\nmessages_per_user = \"50/30m\"\nconnections_per_ip = \"off\"\n"
                + "exempt_users = [\"News@Example.com\"]\nuser_limits_in_relay_networks = false\n"
                + "harvest_delay_after = 1\nharvest_window = \"2h\"");
        RateLimitConfig r = c.rateLimits();
        assertThat(r.messagesPerUser()).contains(new RateLimitConfig.Rate(50, java.time.Duration.ofMinutes(30)));
        assertThat(r.connectionsPerIp()).isEmpty();
        assertThat(r.recipientsPerUser()).isEqualTo(RateLimitConfig.DEFAULTS.recipientsPerUser());
        assertThat(r.exemptUsers()).containsExactly("news@example.com");
        assertThat(r.userLimitsInRelayNetworks()).isFalse();
        assertThat(r.harvest().delayAfter()).isEqualTo(1);
        assertThat(r.harvest().window()).isEqualTo(java.time.Duration.ofHours(2));
        assertThat(RateLimitConfig.DEFAULTS.messagesPerUser().orElseThrow()).hasToString("500/1h");
    }

    @Test
    void srsIsReadWithItsDefaultsFromTheOtherSettings() {
        Config c = parse("local_domains = [\"example.com\", \"example.net\"]\n[srs]\nsecret_file = \"keys/srs\"\n"
                + "max_age = \"30d\"\nexclude_domains = [\"Partner.EXAMPLE\"]");
        assertThat(c.srs().enabled()).isTrue();
        assertThat(c.srs().domainIn(c)).isEqualTo("example.com");
        assertThat(c.srs().secretFileIn(c)).isEqualTo(dir.toAbsolutePath().resolve("keys/srs"));
        assertThat(c.srs().maxAge()).isEqualTo(java.time.Duration.ofDays(30));
        assertThat(c.srs().excludeDomains()).containsExactly("partner.example");
        Config d = parse("[srs]\nenabled = false\ndomain = \"srs.example.com\"");
        assertThat(d.srs().enabled()).isFalse();
        assertThat(d.srs().domainIn(d)).isEqualTo("srs.example.com");
        assertThat(d.srs().secretFileIn(d)).isEqualTo(d.dataDir().resolve("srs.secret"));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Config d = Config.defaults(dir);
        assertThat(d.hostname()).isEqualTo("localhost");
        assertThat(d.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(d.listeners()).extracting(ListenerConfig::role, ListenerConfig::address).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Role.SMTP, socket("127.0.0.1", 2525)),
                org.assertj.core.groups.Tuple.tuple(Role.SUBMISSION, socket("127.0.0.1", 2587)),
                org.assertj.core.groups.Tuple.tuple(Role.SUBMISSIONS, socket("127.0.0.1", 2465)),
                org.assertj.core.groups.Tuple.tuple(Role.IMAP, socket("127.0.0.1", 2143)),
                org.assertj.core.groups.Tuple.tuple(Role.IMAPS, socket("127.0.0.1", 2993)),
                org.assertj.core.groups.Tuple.tuple(Role.POP3, socket("127.0.0.1", 2110)),
                org.assertj.core.groups.Tuple.tuple(Role.POP3S, socket("127.0.0.1", 2995)),
                org.assertj.core.groups.Tuple.tuple(Role.WEB, socket("127.0.0.1", 2443)),
                org.assertj.core.groups.Tuple.tuple(Role.HTTP, socket("127.0.0.1", 2081)),

                org.assertj.core.groups.Tuple.tuple(Role.OPS, socket("127.0.0.1", 2080)));
        assertThat(d.imap()).isEqualTo(ImapConfig.DEFAULTS);
        assertThat(d.pop3().idle()).isEqualTo(Duration.ofMinutes(10)); // RFC 1939 §3
        assertThat(d.web()).isEqualTo(WebConfig.DEFAULTS);
        assertThat(d.limits()).isEqualTo(new Limits(52_428_800, 100, 512, 1000, 1000, 20, 10, 3, Duration.ofSeconds(2),
                new Limits.PerNetwork(50, 24, 64), new Limits.Stress(80, 1)));
        assertThat(d.timeouts()).isEqualTo(new Timeouts(Duration.ofMinutes(5), Duration.ofMinutes(3), Duration.ofMinutes(30),
                Duration.ofSeconds(10), Duration.ofSeconds(10)));
        assertThat(d.smtp()).isEqualTo(new SmtpOptions(false, "postmaster@localhost"));
        assertThat(d.dns().servers()).isEmpty();
        assertThat(d.tls().certificate()).isEmpty();
        assertThat(d.routes()).isEmpty();
        assertThat(d.storage()).isEqualTo(new StorageConfig(true, Duration.ofSeconds(30), 256L << 20, 1L << 20, 100L << 20));
    }

    @Test
    void dsnMaxReturn() {
        assertThat(parse("[queue]\ndsn_max_return = \"100KiB\"\n").queue().dsnMaxReturn()).isEqualTo(100 * 1024);
        assertThat(parse("").queue().dsnMaxReturn()).isEqualTo(50_000);
    }

    @Test
    void loginSection() {
        assertThat(Config.defaults(dir).login())
                .isEqualTo(new LoginConfig(Math.max(1, Runtime.getRuntime().availableProcessors() - 1), 32, 60));
        assertThat(parse("[login]\nhash_threads = 3\nhash_queue = 0\nfailures_per_minute = 500\n").login())
                .isEqualTo(new LoginConfig(3, 0, 500));
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[login]\nhash_threads = 0\nhash_queue = -1\nfailures_per_minute = 0\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("login.hash_threads", "login.hash_queue", "login.failures_per_minute");
    }

    @Test
    void reportsSectionWithDefaultsFromTheOtherSettings() {
        Config c = parse("hostname = \"mx.example.com\"\n");
        assertThat(c.reports()).isEqualTo(ReportsConfig.DEFAULTS);
        assertThat(c.reports().organizationIn(c)).isEqualTo("mx.example.com");
        assertThat(c.reports().contactIn(c)).isEqualTo("postmaster@mx.example.com");
        assertThat(c.reports().fromIn(c)).isEqualTo("noreply-reports@mx.example.com");
        assertThat(c.reports().dmarcIn(c)).isTrue();
        assertThat(parse("[auth]\ndmarc = \"off\"\n[reports]\ndmarc = true\n").reports().dmarcIn(
                parse("[auth]\ndmarc = \"off\"\n"))).isFalse(); // no data without DMARC evaluation
        Config d = parse("[reports]\norganization = \"Example Ltd\"\ncontact = \"dmarc@Example.COM\"\n"
                + "from = \"reports@example.com\"\ntls_rpt = false\ndmarc = false\nmax_delay = \"0s\"\n");
        assertThat(d.reports()).isEqualTo(new ReportsConfig(java.util.Optional.of("Example Ltd"),
                java.util.Optional.of("dmarc@example.com"), java.util.Optional.of("reports@example.com"), false,
                java.util.Optional.of(false), Duration.ZERO));
        assertThat(d.reports().dmarcIn(d)).isFalse();
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[reports]\norganization = \" \"\ncontact = \"nobody\"\nfrom = \"a@b..c\"\n"
                        + "tls_rpt = \"yes\"\nmax_delay = \"1d\"\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("reports.organization",
                "reports.contact", "reports.from", "reports.tls_rpt", "reports.max_delay");
    }

    @Test
    void mtaStsSection() {
        assertThat(parse("").mtaSts()).isEqualTo(MtaStsConfig.DEFAULTS);
        assertThat(parse("[mta_sts]\nenabled = false\nserve_mode = \"enforce\"\nserve_mx = [\"MX.Example.com\", "
                + "\"*.example.net\"]\nserve_max_age = \"31557600s\"\nfetch_timeout = \"5s\"\ncache_size = 5\n").mtaSts())
                .isEqualTo(new MtaStsConfig(false, java.util.Optional.empty(), Duration.ofSeconds(5), 5,
                        MtaStsConfig.Mode.ENFORCE, java.util.List.of("mx.example.com", "*.example.net"),
                        Duration.ofSeconds(31_557_600)));
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[mta_sts]\nca_file = \"missing.pem\"\nfetch_timeout = \"0s\"\ncache_size = 0\n"
                        + "serve_mode = \"strict\"\nserve_mx = [\"a..b\"]\nserve_max_age = \"366d\"\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("mta_sts.ca_file",
                "mta_sts.fetch_timeout", "mta_sts.cache_size", "mta_sts.serve_mode", "mta_sts.serve_mx",
                "mta_sts.serve_max_age");
    }

    @Test
    void daneSection() throws java.io.IOException {
        assertThat(parse("").dane()).isEqualTo(DaneConfig.DEFAULTS);
        java.nio.file.Files.writeString(dir.resolve("root.key"), ". IN DS 20326 8 2 E06D44B8\n");
        assertThat(parse("[dane]\nvalidation = \"local\"\ntrust_anchor = \"root.key\"\n").dane())
                .isEqualTo(new DaneConfig(true, DaneConfig.Validation.LOCAL,
                        java.util.Optional.of(dir.toAbsolutePath().resolve("root.key")), false));
        assertThat(parse("[dane]\nenabled = false\ntrusted_resolver = true\n").dane())
                .isEqualTo(new DaneConfig(false, DaneConfig.Validation.RESOLVER_AD, java.util.Optional.empty(), true));
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[dane]\nvalidation = \"ad\"\ntrust_anchor = \"missing.key\"\ntrusted_resolver = 1\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("dane.validation",
                "dane.trust_anchor", "dane.trusted_resolver");
        ConfigException local = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[dane]\nvalidation = \"local\"\n"));
        assertThat(local.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("dane.validation");
            assertThat(p.message()).contains("needs trust_anchor");
        });
    }

    @Test
    void acmeSection() {
        assertThat(parse("").acme()).isEqualTo(AcmeConfig.DEFAULTS);
        assertThat(AcmeConfig.DEFAULTS.domains("mx.example.com", java.util.List.of("example.com", "localhost")))
                .containsExactly("mx.example.com", "mta-sts.example.com");
        AcmeConfig a = parse("hostname = \"mx.example.com\"\n[acme]\nenabled = true\ndirectory = \"https://127.0.0.1:14000/dir\"\n"
                + "email = \"Admin@Example.COM\"\ndomains = [\"MX.example.com\"]\nchallenge = [\"tls-alpn-01\"]\n"
                + "renew_before = \"10d\"\n").acme();
        assertThat(a).isEqualTo(new AcmeConfig(true, java.net.URI.create("https://127.0.0.1:14000/dir"),
                java.util.Optional.of("Admin@example.com"), java.util.List.of("mx.example.com"), java.util.Optional.empty(),
                java.util.Set.of(AcmeConfig.Challenge.TLS_ALPN_01), Duration.ofDays(10)));
        assertThat(a.domains("other.example", java.util.List.of("example.com"))).containsExactly("mx.example.com");
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[acme]\ndirectory = \"http://ca.example/dir\"\nemail = \"nobody\"\n"
                        + "domains = [\"a..b\"]\nca_file = \"missing.pem\"\nchallenge = [\"dns-01\"]\n"
                        + "renew_before = \"10s\"\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("acme.directory", "acme.email",
                "acme.domains", "acme.ca_file", "acme.challenge", "acme.renew_before");
        // On, it needs a name a CA issues for and a listener for a configured challenge.
        ConfigException off = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[[listener]]\nrole = \"web\"\n[acme]\nenabled = true\nchallenge = [\"http-01\"]\n"));
        assertThat(off.problems()).extracting(ConfigProblem::message).satisfiesExactly(
                m -> assertThat(m).contains("http-01 needs a [[listener]] of role \"http\""),
                m -> assertThat(m).contains("no CA issues for localhost"));
    }

    @Test
    void extraCertificatesNeedBothFiles() throws IOException {
        Files.writeString(dir.resolve("c.pem"), "x");
        Files.writeString(dir.resolve("k.pem"), "x");
        TlsConfig tls = parse("[[tls.extra]]\ncertificate = \"c.pem\"\nkey = \"k.pem\"\n").tls();
        assertThat(tls.extra()).containsExactly(new TlsConfig.Pair(dir.toAbsolutePath().resolve("c.pem"),
                dir.toAbsolutePath().resolve("k.pem")));
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[[tls.extra]]\ncertificate = \"c.pem\"\n[[tls.extra]]\nkey = \"gone.pem\"\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("tls.extra.key", "tls.extra.key",
                "tls.extra.certificate");
    }

    @Test
    void storageSection() {
        assertThat(parse("[storage]\njournal = false\ncheckpoint = \"10s\"\ncheckpoint_size = \"1GiB\"\n"
                + "journal_max_message = \"64KiB\"\nmin_free = \"2GiB\"\n").storage())
                .isEqualTo(new StorageConfig(false, Duration.ofSeconds(10), 1L << 30, 64 * 1024, 2L << 30));
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> parse("[storage]\ncheckpoint = \"20m\"\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("storage.checkpoint");
    }

    @Test
    void aFileOverridesOnlyWhatItSets() {
        Config c = parse("[limits]\nrecipients = 5\n");
        Config d = Config.defaults(dir);
        assertThat(c.limits().recipients()).isEqualTo(5);
        assertThat(c.limits().messageSize()).isEqualTo(d.limits().messageSize());
        assertThat(c).usingRecursiveComparison().ignoringFields("limits").isEqualTo(d);
    }

    @Test
    void inlineTablesAndDottedKeysWorkLikeSections() {
        assertThat(parse("limits = { recipients = 7 }").limits().recipients()).isEqualTo(7);
        assertThat(parse("limits.recipients = 8").limits().recipients()).isEqualTo(8);
    }

    @Test
    void listenersReplaceTheDefaultsAndPortFollowsTheRole() {
        Config c = parse("""
                [[listener]]
                role = "smtp"
                address = "0.0.0.0"
                [[listener]]
                role = "submission"
                address = "::"
                proxy_protocol = true
                [[listener]]
                role = "submissions"
                address = "[2001:db8::1]"
                port = 10465
                [[listener]]
                role = "smtp"
                port = 2525
                """);
        assertThat(c.listeners()).containsExactly(
                new ListenerConfig(Role.SMTP, socket("0.0.0.0", 25), false),
                new ListenerConfig(Role.SUBMISSION, socket("::", 587), true),
                new ListenerConfig(Role.SUBMISSIONS, socket("2001:db8::1", 10465), false),
                new ListenerConfig(Role.SMTP, socket("127.0.0.1", 2525), false));
    }

    @Test
    void theOpsListenerTakesPort2080AndAPublicAddressOnlyWhenAskedTo() {
        assertThat(parse("[[listener]]\nrole = \"ops\"\n").listeners())
                .containsExactly(new ListenerConfig(Role.OPS, socket("127.0.0.1", 2080), false));
        assertThat(parse("[[listener]]\nrole = \"ops\"\naddress = \"::1\"\nport = 9100\n").listeners())
                .containsExactly(new ListenerConfig(Role.OPS, socket("::1", 9100), false));
        assertThat(parse("[[listener]]\nrole = \"ops\"\naddress = \"0.0.0.0\"\npublic = true\n").listeners())
                .containsExactly(new ListenerConfig(Role.OPS, socket("0.0.0.0", 2080), false));
    }

    @Test
    void logSettings() {
        LogConfig log = parse("[log]\nfile = \"logs/postwerk.log\"\nformat = \"json\"\nlevel = \"debug\"\n").log();
        assertThat(log).isEqualTo(new LogConfig(java.util.Optional.of(dir.toAbsolutePath().resolve("logs/postwerk.log")),
                LogConfig.Format.JSON, "DEBUG"));
    }

    @Test
    void relativePathsResolveAgainstTheConfigFolder() throws IOException {
        assertThat(parse("data_dir = \"var/../spool\"").dataDir()).isEqualTo(dir.toAbsolutePath().resolve("spool"));
        Path elsewhere = dir.resolve("elsewhere").toAbsolutePath();
        assertThat(parse("data_dir = '" + elsewhere + "'").dataDir()).isEqualTo(elsewhere);

        Files.createDirectories(dir.resolve("tls"));
        Files.writeString(dir.resolve("tls/cert.pem"), "x");
        Files.writeString(dir.resolve("tls/key.pem"), "x");
        TlsConfig tls = parse("[tls]\ncertificate = \"tls/cert.pem\"\nkey = \"tls/key.pem\"\nprotocols = [\"TLSv1.3\"]").tls();
        assertThat(tls).isEqualTo(new TlsConfig(Optional.of(dir.toAbsolutePath().resolve("tls/cert.pem")),
                Optional.of(dir.toAbsolutePath().resolve("tls/key.pem")), List.of("TLSv1.3")));
    }

    @Test
    void loadReadsTheFileAndAnchorsPathsAtItsFolder() throws IOException {
        Path file = dir.resolve("conf/postwerk.toml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hostname = \"MX.Example.COM\"\nlocal_domains = [\"Example.com\", \"bücher.example\"]\n");
        Config c = ConfigLoader.load(file);
        assertThat(c.hostname()).isEqualTo("mx.example.com");
        assertThat(c.localDomains()).containsExactly("example.com", "bücher.example");
        assertThat(c.dataDir()).isEqualTo(file.toAbsolutePath().getParent().resolve("data"));
        // Unset, the postmaster follows the first local domain.
        assertThat(c.smtp().postmaster()).isEqualTo("postmaster@example.com");
    }

    @Test
    void sizesDurationsAndNetworks() throws Exception {
        Config c = parse("""
                relay_networks = ["192.0.2.0/24", "2001:db8::/32", "198.51.100.7"]
                [limits]
                message_size = "10MB"
                auth_failure_delay = "0s"
                [timeouts]
                command = "PT10M"
                session = "1h30m"
                [queue]
                retry = ["1m", "1h"]
                max_lifetime = "2d"
                delay_warning = "off"
                """);
        assertThat(c.limits().messageSize()).isEqualTo(10_000_000);
        assertThat(c.limits().authFailureDelay()).isZero();
        assertThat(c.timeouts().command()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.timeouts().session()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.queue().retrySchedule()).containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
        assertThat(c.queue().maxLifetime()).isEqualTo(Duration.ofDays(2));
        assertThat(c.queue().delayWarning()).isEmpty();
        assertThat(c.relayNetworks()).containsExactly(Network.parse("192.0.2.0/24"), Network.parse("2001:db8::/32"),
                Network.parse("198.51.100.7/32"));
        assertThat(c.relayNetworks().get(2).contains(InetAddress.getByName("198.51.100.7"))).isTrue();
        assertThat(parse("limits.message_size = 1234").limits().messageSize()).isEqualTo(1234);
    }

    @Test
    void networkLimitAndStressMode() {
        Config c = parse("""
                [limits]
                connections_per_network = 30
                network_prefix_ipv4 = 16
                network_prefix_ipv6 = 48
                stress_threshold = 90
                stress_connections_per_network = 3
                [timeouts]
                stress_command = "5s"
                stress_data_block = "20s"
                """);
        assertThat(c.limits().perNetwork()).isEqualTo(new Limits.PerNetwork(30, 16, 48));
        assertThat(c.limits().stress()).isEqualTo(new Limits.Stress(90, 3));
        assertThat(c.timeouts().stressCommand()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.timeouts().stressDataBlock()).isEqualTo(Duration.ofSeconds(20));
        // Unset, a network may hold at least as many connections as one address.
        assertThat(parse("limits.connections_per_ip = 80").limits().perNetwork().connections()).isEqualTo(80);
    }

    @Test
    void dnsServersTakePort53WhenNoneIsGiven() {
        DnsConfig dns = parse("[dns]\nservers = [\"127.0.0.1:53\", \"[::1]:5353\", \"192.0.2.1\", \"2001:db8::53\"]\n"
                + "timeout = \"1500ms\"").dns();
        assertThat(dns.servers()).containsExactly(socket("127.0.0.1", 53), socket("::1", 5353),
                socket("192.0.2.1", 53), socket("2001:db8::53", 53));
        assertThat(dns.timeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void routes() {
        List<RouteConfig> routes = parse("""
                [[route]]
                domain = "Example.com"
                host = "mx.internal.example"
                [[route]]
                domain = "*"
                host = "smtp.provider.example"
                implicit_tls = true
                auth_user = "me"
                auth_password = "secret"
                [[route]]
                domain = "lab.example"
                host = "[2001:db8::25]"
                port = 2525
                require_tls = true
                """).routes();
        assertThat(routes).containsExactly(
                new RouteConfig("example.com", "mx.internal.example", 25, false, false, Optional.empty(), Optional.empty()),
                new RouteConfig("*", "smtp.provider.example", 465, true, false, Optional.of("me"), Optional.of("secret")),
                new RouteConfig("lab.example", "2001:db8::25", 2525, false, true, Optional.empty(), Optional.empty()));
        assertThat(routes.get(1).isDefault()).isTrue();
        assertThat(routes.get(1).toString()).doesNotContain("secret");
    }

    @Test
    void postmasterMayBeAnyLocalAccount() {
        Config c = parse("local_domains = [\"a.example\", \"b.example\"]\n[smtp]\npostmaster = \"hostmaster@B.example\"\nvrfy = true");
        assertThat(c.smtp()).isEqualTo(new SmtpOptions(true, "hostmaster@b.example"));
    }

    @Test
    void bareNewlinesAreNormalizedUnlessRejectIsSet() {
        assertThat(parse("").smtp().bareNewline()).isEqualTo(SmtpOptions.BareNewline.NORMALIZE);
        assertThat(parse("[smtp]\nbare_newline = \"reject\"").smtp().bareNewline())
                .isEqualTo(SmtpOptions.BareNewline.REJECT);
    }
}
