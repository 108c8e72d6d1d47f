package org.postwerk.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.postwerk.sasl.CredentialStore;
import org.postwerk.sasl.ScramCredentials;
import org.postwerk.smtp.Mailbox;

/**
 * Accounts, local domains and aliases kept in human-readable files under {@code DATA/accounts/}. The server
 * reads through it on every lookup and sees changes made meanwhile by the CLI in another process; the CLI
 * changes it through {@link AccountEditor}. Thread-safe.
 */
public final class AccountStore implements Directory, CredentialStore {
    private final AccountFiles files;
    private final AccountSettings settings;

    /**
     * @param accountsDir the directory of the account files, normally {@code DATA/accounts}; created on the
     *     first change, a missing one reads as empty
     */
    public AccountStore(Path accountsDir, AccountSettings settings) {
        this.files = new AccountFiles(accountsDir);
        this.settings = settings;
    }

    /** A hash of a random password, made when first needed: unknown users cost as much as wrong passwords. */
    private static final class Decoy {
        static final String HASH;

        static {
            SecureRandom random = new SecureRandom();
            HASH = new Argon2id(random).hash(Long.toString(random.nextLong(), 36).toCharArray());
        }
    }

    /** Reads the files as they are now; an I/O failure is a bug or a broken disk, not a routing answer. */
    Snapshot snapshot() {
        try {
            return files.current();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.dir(), e);
        }
    }

    AccountFiles files() {
        return files;
    }

    AccountSettings settings() {
        return settings;
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return new Routing(snapshot(), settings).isLocalDomain(domain);
    }

    @Override
    public Route route(Mailbox recipient) {
        return new Routing(snapshot(), settings).route(recipient);
    }

    /** Verifies an Argon2id password; user names are matched case-insensitively. */
    @Override
    public boolean authenticate(String user, char[] password) {
        String key = Addresses.key(user);
        Snapshot.User u = snapshot().users().get(key);
        if (u != null) {
            Verified v = verified.get(key);
            if (v != null && v.passwordHash().equals(u.passwordHash()) && System.nanoTime() < v.expiresNanos()
                    && MessageDigest.isEqual(v.mac(), mac(password))) {
                return true; // a password verified minutes ago, and still the stored one
            }
        }
        boolean ok = Argon2id.verify(u == null ? Decoy.HASH : u.passwordHash(), password);
        if (ok && u != null) {
            if (verified.size() >= VERIFIED_MAX) {
                verified.clear();
            }
            verified.put(key, new Verified(u.passwordHash(), mac(password), System.nanoTime() + VERIFIED_TTL_NANOS));
        }
        return ok && u != null;
    }

    /**
     * Successful logins are remembered for a few minutes (as Dovecot's auth cache does), so a mail client that
     * opens many connections pays for Argon2id once, not every time. Only successes are kept (a guess always
     * pays full price); the entry holds a keyed MAC of the password, never the password, and is void as soon
     * as the stored hash changes ({@code user passwd}, {@code user del}).
     */
    private record Verified(String passwordHash, byte[] mac, long expiresNanos) {}

    private static final long VERIFIED_TTL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
    private static final int VERIFIED_MAX = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final javax.crypto.spec.SecretKeySpec macKey = newMacKey();

    private static javax.crypto.spec.SecretKeySpec newMacKey() {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return new javax.crypto.spec.SecretKeySpec(k, "HmacSHA256");
    }

    private byte[] mac(char[] password) {
        try {
            javax.crypto.Mac m = javax.crypto.Mac.getInstance("HmacSHA256");
            m.init(macKey);
            java.nio.ByteBuffer bytes = java.nio.charset.StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
            m.update(bytes);
            java.util.Arrays.fill(bytes.array(), (byte) 0);
            return m.doFinal();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    @Override
    public Optional<ScramCredentials> scram(String user) {
        return Optional.ofNullable(snapshot().users().get(Addresses.key(user))).map(Snapshot.User::scram);
    }

    /** User addresses, sorted. */
    public List<String> users() {
        return List.copyOf(snapshot().users().keySet());
    }

    /**
     * Every address that may have a mailbox: the users, and {@code postmaster@} and {@code abuse@} of each local
     * domain (without a configured postmaster they get a mailbox of their own, see {@link Routing}).
     */
    public List<String> mailboxes() {
        SortedSet<String> all = new TreeSet<>(snapshot().users().keySet());
        for (String domain : domains()) {
            all.add("postmaster@" + domain);
            all.add("abuse@" + domain);
        }
        return List.copyOf(all);
    }

    /** Local domains: configured ones and added ones, sorted. */
    public SortedSet<String> domains() {
        SortedSet<String> all = new TreeSet<>(settings.domains());
        all.addAll(snapshot().domains());
        return all;
    }

    /** Aliases and catch-alls ({@code @domain}) with their targets as written, sorted by address. */
    public SortedMap<String, List<String>> aliases() {
        return snapshot().aliases();
    }

    /** Lines of the files that could not be read (file:line: problem); empty when all is well. */
    public List<String> problems() {
        return snapshot().problems();
    }
}
