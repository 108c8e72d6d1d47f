package org.postwerk.account;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.postwerk.sasl.CredentialStore;
import org.postwerk.sasl.PasswordCheck;
import org.postwerk.sasl.ScramCredentials;

/**
 * The password checks of logins, for every protocol: the stored Argon2id hash of the account, computed on the
 * {@link HashPool} (never on the session's own thread); {@link PasswordCheck#BUSY} when the pool is full. An
 * unknown user costs a hash too (against a decoy), so the time taken does not tell who exists. Thread-safe.
 */
public final class Passwords implements CredentialStore {
    private static final long VERIFIED_TTL_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final int VERIFIED_MAX = 10_000;

    private final AccountStore accounts;
    private final HashPool pool;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();
    private final SecretKeySpec macKey = newMacKey();

    public Passwords(AccountStore accounts, HashPool pool) {
        this.accounts = accounts;
        this.pool = pool;
    }

    /** A hash of a random password, made when first needed (on a pool thread, like every hash). */
    private static final class Decoy {
        static final String HASH;

        static {
            SecureRandom random = new SecureRandom();
            HASH = new Argon2id(random).hash(Long.toString(random.nextLong(), 36).toCharArray());
        }
    }

    /**
     * Successful logins are remembered for a few minutes (as Dovecot's auth cache does), so a mail client that
     * opens many connections pays for Argon2id once, not every time, and is not turned away while a flood fills
     * the pool. Only successes are kept (a guess always pays full price); the entry holds a keyed MAC of the
     * password, never the password, and is void as soon as the stored hash changes ({@code user passwd},
     * {@code user del}).
     */
    private record Verified(String passwordHash, byte[] mac, long expiresNanos) {}

    /** Verifies an Argon2id password; user names are matched case-insensitively. */
    @Override
    public PasswordCheck authenticate(String user, char[] password) {
        String key = Addresses.key(user);
        Snapshot.User u = accounts.snapshot().users().get(key);
        if (u != null) {
            Verified v = verified.get(key);
            if (v != null && v.passwordHash().equals(u.passwordHash()) && System.nanoTime() < v.expiresNanos()
                    && MessageDigest.isEqual(v.mac(), mac(password))) {
                return PasswordCheck.VALID; // a password verified minutes ago, and still the stored one
            }
        }
        Optional<Boolean> ok = pool.run(() -> Argon2id.verify(u == null ? Decoy.HASH : u.passwordHash(),
                password));
        if (ok.isEmpty()) {
            return PasswordCheck.BUSY;
        }
        if (!ok.get() || u == null) {
            return PasswordCheck.INVALID;
        }
        if (verified.size() >= VERIFIED_MAX) {
            verified.clear();
        }
        verified.put(key, new Verified(u.passwordHash(), mac(password), System.nanoTime() + VERIFIED_TTL_NANOS));
        return PasswordCheck.VALID;
    }

    @Override
    public Optional<ScramCredentials> scram(String user) {
        return Optional.ofNullable(accounts.snapshot().users().get(Addresses.key(user))).map(Snapshot.User::scram);
    }

    private static SecretKeySpec newMacKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new SecretKeySpec(k, "HmacSHA256");
    }

    private byte[] mac(char[] password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(macKey);
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            m.update(bytes);
            Arrays.fill(bytes.array(), (byte) 0);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }
}
