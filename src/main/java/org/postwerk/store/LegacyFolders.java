package org.postwerk.store;

import java.io.IOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.postwerk.io.Disk;
import org.postwerk.io.DurableFile;

/**
 * Account folders named by the mapping used before {@link MailboxNames}, which was not injective: it turned
 * {@code /}, {@code \} and NUL into {@code _} and put {@code _} before a leading dot, so {@code a/b@} and
 * {@code a_b@} (or {@code .hidden@} and {@code _.hidden@}) shared one Maildir, and it kept U-label domains as
 * written. At start, before any delivery, each account's old folder is renamed to its new name when it can
 * belong to that account only. When an old folder can be the folder of several accounts, nobody can tell
 * whose mail it holds: the server refuses to start and names the folder and the accounts, and nothing is
 * moved. Once a store is in the new naming, a marker file ({@value MailboxNames#MARKER} in the store root)
 * says so and the check is not made again (a new account's folder could otherwise look like an old one).
 */
public final class LegacyFolders {
    /** What the check found. */
    public sealed interface Outcome {
        /** The store is in the new naming now; these folders were renamed (often none). */
        record Migrated(List<Move> moves) implements Outcome {
            public Migrated {
                moves = List.copyOf(moves);
            }
        }

        /** The store cannot be used as it is; nothing was moved. */
        record Refused(List<Conflict> conflicts) implements Outcome {
            public Refused {
                conflicts = List.copyOf(conflicts);
            }
        }
    }

    /** One account's folder renamed from its old name to its new one. */
    public record Move(String account, Path from, Path to) {}

    /** An old folder that cannot be given to one account, and what the operator should do (a sentence). */
    public record Conflict(Path folder, String problem) {}

    private LegacyFolders() {}

    /**
     * Brings a store into the new naming, or says why it cannot.
     *
     * @param root     the store root ({@code DATA/mail})
     * @param accounts every account, as the account files key them (lower case; domains as A-labels)
     */
    public static Outcome migrate(Disk disk, Path root, Collection<String> accounts) throws IOException {
        Path marker = root.resolve(MailboxNames.MARKER);
        if (Files.exists(marker)) {
            return new Outcome.Migrated(List.of());
        }
        Map<Path, Set<String>> claims = new HashMap<>();
        Map<String, List<Path>> olds = new HashMap<>();
        for (String account : new TreeSet<>(accounts)) {
            Path now = MailboxNames.account(root, account);
            claims.computeIfAbsent(now, p -> new TreeSet<>()).add(account);
            List<Path> old = oldFolders(root, account).stream().filter(p -> !p.equals(now)).toList();
            old.forEach(p -> claims.computeIfAbsent(p, q -> new TreeSet<>()).add(account));
            olds.put(account, old);
        }
        List<Move> moves = new ArrayList<>();
        List<Conflict> conflicts = new ArrayList<>();
        Set<Path> targets = new java.util.HashSet<>();
        for (String account : new TreeSet<>(accounts)) {
            Path now = MailboxNames.account(root, account);
            for (Path old : olds.get(account)) {
                if (!Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Set<String> owners = claims.get(old);
                if (owners.size() > 1) {
                    conflicts.add(shared(root, old, owners));
                } else if (Files.exists(now, LinkOption.NOFOLLOW_LINKS) || !targets.add(now)) {
                    conflicts.add(new Conflict(old, "the old folder of " + account + ", whose folder is now "
                            + root.relativize(now) + ", which exists too: move the messages into it by hand, "
                            + "then remove the old folder"));
                } else {
                    moves.add(new Move(account, old, now));
                }
            }
        }
        if (!conflicts.isEmpty()) {
            return new Outcome.Refused(conflicts.stream().distinct().toList());
        }
        for (Move m : moves) {
            disk.createDirectories(m.to().getParent());
            Files.move(m.from(), m.to(), StandardCopyOption.ATOMIC_MOVE);
            disk.syncDirectory(m.from().getParent());
            disk.syncDirectory(m.to().getParent());
        }
        disk.createDirectories(root);
        DurableFile.write(disk, marker, "1\n".getBytes(StandardCharsets.US_ASCII));
        return new Outcome.Migrated(moves);
    }

    private static Conflict shared(Path root, Path old, Set<String> owners) {
        List<String> sortInto = owners.stream()
                .map(a -> root.relativize(MailboxNames.account(root, a)) + " for " + a).toList();
        return new Conflict(old, "under the old folder naming this was the folder of " + String.join(" and ", owners)
                + ", so whose mail it holds is unknown. Move it aside (rename it), start again, then sort its "
                + "messages into " + String.join(", ", sortInto));
    }

    /** Where the old naming put an account: the domain as written (A- or U-label), each name made "safe". */
    private static Set<Path> oldFolders(Path root, String account) {
        int at = account.lastIndexOf('@');
        String local = oldSafe(account.substring(0, at));
        String domain = account.substring(at + 1).toLowerCase(Locale.ROOT);
        Set<Path> folders = new LinkedHashSet<>();
        folders.add(root.resolve(oldSafe(domain)).resolve(local));
        try {
            folders.add(root.resolve(oldSafe(IDN.toUnicode(domain).toLowerCase(Locale.ROOT))).resolve(local));
        } catch (IllegalArgumentException notIdna) {
            // only the spelling as written
        }
        return folders;
    }

    /** The old mapping: separators and NUL to '_', a leading dot (or nothing) prefixed with '_'. */
    private static String oldSafe(String name) {
        String s = name.replace('/', '_').replace('\\', '_').replace('\0', '_');
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }
}
