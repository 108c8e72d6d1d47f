package org.postwerk.account;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postwerk.config.DomainSyntax;
import org.postwerk.sasl.ScramCredentials;

/**
 * The line formats of the account files, meant to be read and, with care, edited by a person. {@code #}
 * starts a comment line; blank lines are ignored; a line that cannot be read is reported and skipped, so one
 * typo does not take every account down.
 * <pre>
 * users:   alice@example.org $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH SCRAM-SHA-256$4096:SALT$STOREDKEY:SERVERKEY
 * domains: example.org
 * aliases: sales@example.org: alice@example.org, bob@other.net
 *          @example.org: alice@example.org           (catch-all)
 * </pre>
 * The SCRAM field uses the layout PostgreSQL uses for the same values (standard base64 with padding).
 */
final class AccountFormat {
    private static final Pattern SCRAM = Pattern.compile(
            "SCRAM-SHA-256\\$(\\d{1,7}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");

    private AccountFormat() {}

    static String users(Snapshot s) {
        StringBuilder out = new StringBuilder(
                "# Postwerk users: address, Argon2id hash, SCRAM-SHA-256 credentials. Use 'postwerk user'.\n");
        for (Snapshot.User u : s.users().values()) {
            out.append(u.address()).append(' ').append(u.passwordHash()).append(' ').append(scram(u.scram()))
                    .append('\n');
        }
        return out.toString();
    }

    static String domains(Snapshot s) {
        StringBuilder out = new StringBuilder("# Postwerk local domains (besides those in the config).\n");
        s.domains().forEach(d -> out.append(d).append('\n'));
        return out.toString();
    }

    static String aliases(Snapshot s) {
        StringBuilder out = new StringBuilder("# Postwerk aliases: address: target, target. '@domain:' catches all.\n");
        s.aliases().forEach((a, targets) -> out.append(a).append(": ").append(String.join(", ", targets)).append('\n'));
        return out.toString();
    }

    static String scram(ScramCredentials c) {
        Base64.Encoder b64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + c.iterations() + ":" + b64.encodeToString(c.salt()) + "$"
                + b64.encodeToString(c.storedKey()) + ":" + b64.encodeToString(c.serverKey());
    }

    static Optional<ScramCredentials> parseScram(String field) {
        Matcher m = SCRAM.matcher(field);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] stored = b64.decode(m.group(3));
            byte[] server = b64.decode(m.group(4));
            if (stored.length != 32 || server.length != 32) {
                return Optional.empty();
            }
            return Optional.of(new ScramCredentials(b64.decode(m.group(2)), Integer.parseInt(m.group(1)), stored,
                    server));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Collects the three files into one snapshot, noting every line it had to skip. */
    static final class Reader {
        private final Map<String, Snapshot.User> users = new TreeMap<>();
        private final Set<String> domains = new TreeSet<>();
        private final Map<String, List<String>> aliases = new TreeMap<>();
        private final List<String> problems = new ArrayList<>();

        void users(String file, List<String> lines) {
            each(file, lines, line -> {
                String[] f = line.split("\\s+");
                Optional<ScramCredentials> scram = f.length == 3 ? parseScram(f[2]) : Optional.empty();
                if (f.length != 3 || Addresses.parse(f[0]).isEmpty() || !Argon2id.isWellFormed(f[1])
                        || scram.isEmpty()) {
                    return "expected: address argon2id-hash scram-credentials";
                }
                users.put(Addresses.key(f[0]), new Snapshot.User(Addresses.key(f[0]), f[1], scram.get()));
                return null;
            });
        }

        void domains(String file, List<String> lines) {
            each(file, lines, line -> {
                Optional<String> problem = DomainSyntax.problem(line);
                if (problem.isPresent()) {
                    return problem.get();
                }
                domains.add(Addresses.domain(line));
                return null;
            });
        }

        void aliases(String file, List<String> lines) {
            each(file, lines, line -> {
                int colon = line.indexOf(':');
                String address = colon < 0 ? "" : line.substring(0, colon).strip();
                List<String> targets = colon < 0 ? List.of()
                        : Arrays.stream(line.substring(colon + 1).split(",")).map(String::strip)
                                .filter(t -> !t.isEmpty()).toList();
                if ((Addresses.parse(address).isEmpty() && !Addresses.isCatchAll(address)) || targets.isEmpty()
                        || !targets.stream().allMatch(t -> Addresses.parse(t).isPresent())) {
                    return "expected: address: target, target";
                }
                aliases.put(Addresses.key(address), targets);
                return null;
            });
        }

        private void each(String file, List<String> lines, java.util.function.Function<String, String> parse) {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String problem = parse.apply(line);
                if (problem != null) {
                    problems.add(file + ":" + (i + 1) + ": " + problem);
                }
            }
        }

        Snapshot snapshot() {
            return new Snapshot(new TreeMap<>(users), new TreeSet<>(domains), new TreeMap<>(aliases), problems);
        }
    }
}
