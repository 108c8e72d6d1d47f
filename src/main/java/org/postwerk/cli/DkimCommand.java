package org.postwerk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Year;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.Canonicalization;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimResult;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.auth.dkim.DkimVerifier;
import org.postwerk.config.DomainSyntax;
import org.postwerk.io.DurableFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postwerk dkim keygen|sign|verify}: DKIM keys for operators, and signing/verifying files for checks. */
@Command(name = "dkim", mixinStandardHelpOptions = true, description = "DKIM keys, signing and verification.",
        subcommands = {DkimCommand.Keygen.class, DkimCommand.Sign.class, DkimCommand.Verify.class})
public final class DkimCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: keygen, sign or verify");
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = {"Create a signing key in DATA/dkim/DOMAIN/SELECTOR.key (mode 600) and print the DNS TXT "
                    + "record to publish.", "Run it twice (rsa and ed25519) to dual-sign."})
    static final class Keygen implements Callable<Integer> {
        /** RFC 6376 §3.1 selector: sub-domain labels; '_' is accepted too, as DNS owner names allow it. */
        private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})"
                + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*");

        @Mixin
        ConfigOptions config;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "DOMAIN", description = "The signing domain (d=).")
        String domain;

        @Option(names = "--selector", paramLabel = "S",
                description = "Selector (s=). Default: the year and the first free letter, e.g. 2026a.")
        String selector;

        @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "rsa",
                description = "rsa (2048 bits, verified everywhere) or ed25519 (RFC 8463). Default: ${DEFAULT-VALUE}.")
        String algorithm;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory; overrides data_dir.")
        Path dataDir;

        @Override
        public Integer call() throws IOException {
            Algorithm.KeyType type = switch (algorithm.toLowerCase(Locale.ROOT)) {
                case "rsa" -> Algorithm.KeyType.RSA;
                case "ed25519" -> Algorithm.KeyType.ED25519;
                default -> throw new ParameterException(spec.commandLine(), "--algorithm must be rsa or ed25519");
            };
            checkNames();
            String d = DomainSyntax.canonical(domain);
            org.postwerk.config.Config found = config.forData(dataDir); // refuses when there is no data folder
            Path data = dataDir != null ? dataDir : found.dataDir();
            DkimKeys keys = new DkimKeys(data);
            String s = selector != null ? selector : freeSelector(keys, d);
            Path file = keys.path(d, s);
            Path dkimDir = data.resolve("dkim").toAbsolutePath().normalize(); // where DkimKeys keeps keys
            if (!file.toAbsolutePath().normalize().startsWith(dkimDir)) {
                throw new ParameterException(spec.commandLine(), file + " is not under " + dkimDir);
            }
            if (Files.exists(file)) {
                spec.commandLine().getErr().println("postwerk: " + file + " exists; choose another --selector");
                return 1;
            }
            KeyPair pair = DkimKeys.generate(type);
            DurableFile.write(file, DkimKeys.pem(pair)); // 0600, its folders 0700
            PrintWriter out = spec.commandLine().getOut();
            out.println("; key written to " + file);
            out.println(DkimKeys.zoneLine(d, s, pair.getPublic()));
            out.flush();
            return 0;
        }

        /** Names first, paths after: a domain or selector like {@code ../../x} must never become a path. */
        private void checkNames() {
            Optional<String> bad = DomainSyntax.problem(domain);
            if (bad.isPresent()) {
                throw new ParameterException(spec.commandLine(), "bad domain: " + bad.get());
            }
            if (selector != null && !SELECTOR.matcher(selector).matches()) {
                throw new ParameterException(spec.commandLine(), "bad selector \"" + selector
                        + "\": letters, digits, '-' and '_', in dot-separated labels (RFC 6376 §3.1)");
            }
        }

        private static String freeSelector(DkimKeys keys, String domain) {
            String year = String.valueOf(Year.now(Clock.systemUTC()).getValue());
            for (char c = 'a'; c <= 'z'; c++) {
                if (!Files.exists(keys.path(domain, year + c))) {
                    return year + c;
                }
            }
            return year + "z" + System.currentTimeMillis();
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a message (stdin or --message) and write it, DKIM-Signature first, to stdout.")
    static final class Sign implements Callable<Integer> {
        @Option(names = "--domain", required = true, paramLabel = "D", description = "Signing domain (d=).")
        String domain;

        @Option(names = "--selector", required = true, paramLabel = "S", description = "Selector (s=).")
        String selector;

        @Option(names = "--key", required = true, paramLabel = "FILE", description = "PKCS#8 PEM private key.")
        Path key;

        @Option(names = "--canonicalization", paramLabel = "H/B", defaultValue = "relaxed/relaxed",
                description = "c= value: relaxed or simple, for header/body. Default: ${DEFAULT-VALUE}.")
        String canonicalization;

        @Option(names = "--message", paramLabel = "FILE", description = "Read the message from FILE, not stdin.")
        Path message;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            DkimSigner.Key signingKey;
            try {
                signingKey = DkimSigner.Key.fromPem(domain, selector, Files.readString(key, StandardCharsets.US_ASCII));
            } catch (GeneralSecurityException e) {
                spec.commandLine().getErr().println("postwerk: unusable key " + key + ": " + e.getMessage());
                return 1;
            }
            String[] c = canonicalization.split("/");
            Optional<Canonicalization> h = canon(c[0]);
            Optional<Canonicalization> b = canon(c.length > 1 ? c[1] : "simple");
            if (h.isEmpty() || b.isEmpty() || c.length > 2) {
                throw new ParameterException(spec.commandLine(), "--canonicalization must be like relaxed/simple");
            }
            byte[] msg = Messages.read(message);
            DkimSigner.Signing signing = new DkimSigner(List.of(signingKey), Clock.systemUTC(),
                    new DkimSigner.Options(h.get(), b.get(), Optional.empty())).begin();
            signing.update(msg, 0, msg.length);
            System.out.write(signing.finish().getBytes(StandardCharsets.ISO_8859_1));
            System.out.write(msg);
            System.out.flush();
            return 0;
        }

        private static Optional<Canonicalization> canon(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "simple" -> Optional.of(Canonicalization.SIMPLE);
                case "relaxed" -> Optional.of(Canonicalization.RELAXED);
                default -> Optional.empty();
            };
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify the DKIM signatures of a message (stdin or --message), one result line each.",
                    "Keys come from --txt only (no DNS). Exit status 0 when there are signatures and all pass."})
    static final class Verify implements Callable<Integer> {
        @Option(names = "--txt", paramLabel = "NAME=VALUE", required = true,
                description = "A TXT record, e.g. sel._domainkey.example.org=\"v=DKIM1; k=ed25519; p=...\". Repeatable.")
        Map<String, String> txt;

        @Option(names = "--message", paramLabel = "FILE", description = "Read the message from FILE, not stdin.")
        Path message;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            byte[] msg = Messages.read(message);
            DkimVerifier.Check check = new DkimVerifier(new TxtResolver(txt), Clock.systemUTC()).begin();
            check.update(msg, 0, msg.length);
            List<DkimResult> results = check.finish();
            PrintWriter out = spec.commandLine().getOut();
            DkimResult.authenticationResults(results).forEach(out::println);
            out.flush();
            return !results.isEmpty() && results.stream().allMatch(DkimResult::passed) ? 0 : 1;
        }
    }

    /** Reading a message as the SMTP server would hand it over: CRLF line ends, even from an LF file. */
    static final class Messages {
        private Messages() {}

        static byte[] read(Path file) throws IOException {
            byte[] raw;
            if (file != null) {
                raw = Files.readAllBytes(file);
            } else {
                InputStream in = System.in;
                raw = in.readAllBytes();
            }
            return crlf(raw);
        }

        static byte[] crlf(byte[] raw) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length + raw.length / 40);
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                    out.write('\r');
                }
                out.write(raw[i]);
            }
            return out.toByteArray();
        }
    }
}
