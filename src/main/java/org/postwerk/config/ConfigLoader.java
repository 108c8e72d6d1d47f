package org.postwerk.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Reads {@code postwerk.toml} over the {@link Config#defaults embedded defaults}: a key that is not set keeps its
 * default. Every problem in the file is collected, then all are thrown together in one {@link ConfigException}.
 * Relative paths in the file resolve against the file's folder, so a config works from any working directory.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** @throws ConfigException when the file cannot be read or has any problem */
    public static Config load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw fileProblem(file, "no such file");
        } catch (CharacterCodingException e) {
            throw fileProblem(file, "not UTF-8 text");
        } catch (IOException e) {
            throw fileProblem(file, "cannot read: " + e.getMessage());
        }
        return parse(text, file.toAbsolutePath().getParent(), file.toString());
    }

    /**
     * Reads configuration text; {@code baseDir} anchors relative paths, {@code sourceName} starts each message.
     *
     * @throws ConfigException when there is any problem
     */
    public static Config parse(String toml, Path baseDir, String sourceName) {
        Problems problems = new Problems(sourceName, toml);
        TomlParseResult result = Toml.parse(toml);
        if (result.hasErrors()) {
            // A file that is not valid TOML cannot be checked further: its structure is unknown.
            result.errors().forEach(e -> problems.add(e.position(), "", "TOML syntax: " + e.getMessage()));
            problems.throwIfAny();
        }
        Section root = new Section(result, "", TomlPosition.positionAt(1, 1), problems);
        Config config = read(root, baseDir.toAbsolutePath(), Config.defaults(baseDir.toAbsolutePath()));
        root.finish();
        problems.throwIfAny();
        return config;
    }

    private static Config read(Section root, Path baseDir, Config d) {
        String hostname = root.parsed("hostname", ConfigLoader::domain).orElse(d.hostname());
        Path dataDir = root.parsed("data_dir", p -> baseDir.resolve(nonEmpty(p)).normalize()).orElse(d.dataDir());
        Optional<List<String>> localDomains = localDomains(root, d.localDomains());
        List<Network> relayNetworks = root.list("relay_networks", Network::parse).orElse(d.relayNetworks());
        MilterConfig.Settings milters = MilterSections.read(root);
        List<ListenerConfig> listeners = ServerSections.listeners(root, d.listeners(), milters);
        return new Config(hostname, dataDir, localDomains.orElse(d.localDomains()), relayNetworks,
                listeners,
                ServerSections.tls(root.table("tls"), baseDir, d.tls()),
                DeliverySections.dns(root.table("dns"), d.dns()),
                ServerSections.limits(root.table("limits"), d.limits()),
                ServerSections.timeouts(root.table("timeouts"), d.timeouts()),
                smtp(root.table("smtp"), localDomains, d.smtp()),
                DeliverySections.queue(root.table("queue"), d.queue()),
                DeliverySections.routes(root),
                auth(root.table("auth"), baseDir, d.auth()),
                DeliverySections.storage(root.table("storage"), d.storage()),
                ServerSections.login(root.table("login"), d.login()),
                ServerSections.imap(root.table("imap"), d.imap()),
                ServerSections.pop3(root.table("pop3"), d.pop3()),
                ServerSections.web(root.table("web"), d.web()),
                log(root.table("log"), baseDir, d.log()),
                ScreenSections.screen(root.table("screen"), root.table("greylist"), d.screen()),
                PolicySections.rateLimits(root.table("rate_limits"), d.rateLimits()),
                PolicySections.srs(root.table("srs"), baseDir, d.srs()), milters,
                DeliverySections.mtaSts(root.table("mta_sts"), baseDir, d.mtaSts()),
                DeliverySections.dane(root.table("dane"), baseDir, d.dane()),
                ReportsConfig.read(root.table("reports"), d.reports()),
                DeliverySections.acme(root.table("acme"), baseDir, d.acme(), hostname, listeners));
    }

    /** The local domains, or empty when they have problems (already reported). */
    private static Optional<List<String>> localDomains(Section root, List<String> dflt) {
        if (!root.has("local_domains")) {
            return Optional.of(dflt);
        }
        Optional<List<String>> domains = root.list("local_domains", ConfigLoader::domain);
        if (domains.isEmpty()) {
            return Optional.empty();
        }
        if (domains.get().isEmpty()) {
            // RFC 5321 §4.5.1: postmaster@ must be deliverable, so at least one domain is ours.
            root.problem("local_domains", "must list at least one domain (postmaster@ needs a home)");
            return Optional.empty();
        }
        List<String> unique = domains.get().stream().distinct().toList();
        for (String domain : unique) {
            if (domains.get().indexOf(domain) != domains.get().lastIndexOf(domain)) {
                root.problem("local_domains", "\"" + domain + "\" is listed twice");
            }
        }
        return Optional.of(unique);
    }

    private static SmtpOptions smtp(Section s, Optional<List<String>> localDomains, SmtpOptions d) {
        boolean vrfy = s.bool("vrfy", d.vrfy());
        // Unset, the postmaster follows the first local domain, so changing local_domains alone is enough.
        String postmaster = localDomains.map(l -> "postmaster@" + l.getFirst()).orElse(d.postmaster());
        Optional<String> set = s.parsed("postmaster", ConfigLoader::mailbox);
        if (set.isPresent()) {
            String domain = set.get().substring(set.get().lastIndexOf('@') + 1);
            if (localDomains.isPresent() && !localDomains.get().contains(domain)) {
                s.problem("postmaster", "\"" + set.get() + "\" must be an account in one of local_domains "
                        + localDomains.get());
            }
            postmaster = set.get();
        }
        return new SmtpOptions(vrfy, postmaster, s.bool("sender_login_match", d.senderLoginMatch()),
                s.parsed("bare_newline", v -> choice(v, SmtpOptions.BareNewline.class)).orElse(d.bareNewline()));
    }

    private static AuthConfig auth(Section s, Path baseDir, AuthConfig d) {
        return new AuthConfig(
                s.bool("spf_verify", d.spfVerify()),
                s.parsed("spf_fail", v -> choice(v, AuthConfig.SpfAction.class)).orElse(d.spfFail()),
                s.bool("received_spf", d.receivedSpf()),
                s.bool("dkim_verify", d.dkimVerify()),
                s.parsed("dmarc", v -> choice(v, AuthConfig.DmarcAction.class)).orElse(d.dmarc()),
                s.parsed("public_suffix_list", p -> ServerSections.readableFile(baseDir, p)).or(d::publicSuffixList));
    }

    /** {@code [log]}: where the log goes and how; the environment may override it at start (LogSetup). */
    private static LogConfig log(Section s, Path baseDir, LogConfig d) {
        return new LogConfig(
                s.parsed("file", p -> Optional.of(baseDir.resolve(nonEmpty(p)).normalize())).orElse(d.file()),
                s.parsed("format", v -> choice(v, LogConfig.Format.class)).orElse(d.format()),
                s.parsed("level", LogConfig::level).orElse(d.level()));
    }

    /** One of an enum's names, written in lower case in the file. */
    static <E extends Enum<E>> E choice(String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> "\"" + e.name().toLowerCase(java.util.Locale.ROOT) + "\"").toList() + ", got \"" + value + "\"");
    }

    /** A host or domain name, lower-cased. */
    static String domain(String name) {
        DomainSyntax.problem(name).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return DomainSyntax.normal(name);
    }

    /** {@code local@domain}, with the domain lower-cased. */
    static String mailbox(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || address.substring(0, at).isBlank() || address.substring(0, at).contains(" ")) {
            throw new IllegalArgumentException("must be an address like postmaster@example.com, got \"" + address + "\"");
        }
        return address.substring(0, at) + "@" + domain(address.substring(at + 1));
    }

    static String nonEmpty(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return value;
    }

    private static ConfigException fileProblem(Path file, String message) {
        return new ConfigException(List.of(new ConfigProblem(file.toString(), 0, "", message)));
    }
}
