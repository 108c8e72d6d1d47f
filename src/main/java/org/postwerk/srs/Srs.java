package org.postwerk.srs;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.postwerk.smtp.Mailbox;

/**
 * Sender Rewriting Scheme addresses, compatible with libsrs2 (and so postsrsd and Exim):
 * <pre>
 *   SRS0=HHHH=TT=orig-domain=orig-local@our-domain            (forwarding an ordinary sender)
 *   SRS1=HHHH=first-forwarder==HHHH=TT=orig-domain=orig-local@our-domain   (forwarding an SRS0 address again)
 * </pre>
 * {@code HHHH} is the first four characters of the base64 HMAC-SHA1, under the secret, of the lower-cased
 * fields (SRS0: timestamp, domain, local part; SRS1: forwarder, rest), compared without regard to case, since
 * some MTAs lower-case local parts; {@code TT} is the day (Unix time / 86400) modulo 1024 in two base32
 * characters, and an SRS0 address older than {@code maxAge} is refused. Only the first secret signs; every
 * secret verifies (to rotate one, put the new one first). Pure and thread-safe.
 */
public final class Srs {
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int TICK_SLOTS = 1024;
    private static final long DAY_SECONDS = 86_400;
    private static final int HASH_LENGTH = 4;

    /** What a recipient address is, seen as an SRS address. */
    public sealed interface Reversal {
        /** Not an SRS address of ours: treat it as any other address. */
        record NotSrs() implements Reversal {}

        /** Valid: mail for it goes to {@code original}. */
        record Original(Mailbox original) implements Reversal {}

        /** Looks like ours but is forged, damaged or expired: refused (550 5.1.1). */
        record Invalid(String reason) implements Reversal {}
    }

    private final List<byte[]> secrets;
    private final String domain;
    private final long maxAgeDays;
    private final Clock clock;

    /** @param secrets at least one; the first signs */
    public Srs(List<byte[]> secrets, String domain, Duration maxAge, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("SRS needs a secret");
        }
        this.secrets = List.copyOf(secrets);
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.maxAgeDays = maxAge.toDays();
        this.clock = clock;
    }

    /** The domain the rewritten addresses are in. */
    public String domain() {
        return domain;
    }

    /** The sender for a copy forwarded to another domain: SRS0, or SRS1 for a sender that is SRS already. */
    public Mailbox forward(Mailbox sender) {
        String local = sender.local();
        String host = sender.domain();
        if (host.equalsIgnoreCase(domain)) {
            return sender; // ours already (libsrs2 leaves it, too)
        }
        if (isTagged(local, "SRS1")) {
            // Keep the first forwarder and the rest, sign them anew for our domain.
            String rest = local.substring(5);
            int sep = rest.indexOf('=');
            int sep2 = sep < 0 ? -1 : rest.indexOf('=', sep + 1);
            if (sep2 > sep + 1) {
                String forwarder = rest.substring(sep + 1, sep2);
                String user = rest.substring(sep2 + 1);
                return new Mailbox("SRS1=" + hash(secrets.getFirst(), forwarder, user) + "=" + forwarder + "=" + user,
                        domain);
            }
        } else if (isTagged(local, "SRS0")) {
            String user = local.substring(4); // from the separator on: "=HHHH=TT=domain=local"
            return new Mailbox("SRS1=" + hash(secrets.getFirst(), host, user) + "=" + host + "=" + user, domain);
        }
        String stamp = timestamp(clock.millis() / 1000 / DAY_SECONDS);
        return new Mailbox("SRS0=" + hash(secrets.getFirst(), stamp, host, local) + "=" + stamp + "=" + host + "="
                + local, domain);
    }

    /** The address a bounce to {@code recipient} goes to, if it is an SRS address at our domain. */
    public Reversal reverse(Mailbox recipient) {
        String local = recipient.local();
        if (!recipient.domain().equalsIgnoreCase(domain)) {
            return new Reversal.NotSrs();
        }
        if (isTagged(local, "SRS0")) {
            return reverse0(local.substring(5));
        }
        if (isTagged(local, "SRS1")) {
            return reverse1(local.substring(5));
        }
        return new Reversal.NotSrs();
    }

    /** {@code HHHH=TT=domain=local}. */
    private Reversal reverse0(String s) {
        String[] f = s.split("=", 4);
        if (f.length < 4 || f[2].isEmpty() || f[3].isEmpty()) {
            return new Reversal.Invalid("not an SRS0 address");
        }
        if (!verified(f[0], f[1], f[2], f[3])) {
            return new Reversal.Invalid("wrong hash");
        }
        long then = decode(f[1]);
        if (then < 0) {
            return new Reversal.Invalid("bad timestamp");
        }
        long now = Math.floorMod(clock.millis() / 1000 / DAY_SECONDS, TICK_SLOTS);
        if (Math.floorMod(now - then, TICK_SLOTS) > maxAgeDays) {
            return new Reversal.Invalid("expired");
        }
        return new Reversal.Original(new Mailbox(f[3], f[2]));
    }

    /** {@code HHHH=forwarder==HHHH=TT=domain=local}: back to the SRS0 address at the first forwarder. */
    private Reversal reverse1(String s) {
        String[] f = s.split("=", 3);
        if (f.length < 3 || f[1].isEmpty() || f[2].isEmpty()) {
            return new Reversal.Invalid("not an SRS1 address");
        }
        if (!verified(f[0], f[1], f[2])) {
            return new Reversal.Invalid("wrong hash");
        }
        return new Reversal.Original(new Mailbox("SRS0" + f[2], f[1]));
    }

    /** SRS0 or SRS1 (any case) followed by one of libsrs2's separators. */
    private static boolean isTagged(String local, String tag) {
        return local.length() > 5 && local.regionMatches(true, 0, tag, 0, 4) && "=-+".indexOf(local.charAt(4)) >= 0;
    }

    private boolean verified(String given, String... fields) {
        if (given.length() != HASH_LENGTH) {
            return false;
        }
        for (byte[] secret : secrets) {
            if (hash(secret, fields).equalsIgnoreCase(given)) {
                return true;
            }
        }
        return false;
    }

    static String hash(byte[] secret, String... fields) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            for (String f : fields) {
                mac.update(f.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            }
            return Base64.getEncoder().encodeToString(mac.doFinal()).substring(0, HASH_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA1", e);
        }
    }

    static String timestamp(long days) {
        int t = (int) Math.floorMod(days, TICK_SLOTS);
        return "" + BASE32.charAt(t >> 5) + BASE32.charAt(t & 31);
    }

    /** The day slot of a two-character timestamp (any case), or -1. */
    static long decode(String stamp) {
        if (stamp.length() != 2) {
            return -1;
        }
        int hi = BASE32.indexOf(Character.toUpperCase(stamp.charAt(0)));
        int lo = BASE32.indexOf(Character.toUpperCase(stamp.charAt(1)));
        return hi < 0 || lo < 0 ? -1 : hi << 5 | lo;
    }
}
