package org.postwerk.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate and key pair on disk, read again when either file changes (certbot and friends, and our own ACME
 * client, replace them every few weeks): a handshake looks at the files' time, size and inode at most once per
 * {@code checkEvery}, and a changed pair is loaded for the handshakes that follow. A pair that cannot be used
 * (half written, or the key of another certificate) is logged once and the old one stays in service.
 */
public final class PemCertificate implements Supplier<CertifiedKey> {
    private static final Logger LOG = LoggerFactory.getLogger(PemCertificate.class);

    /** What identifies a version of the two files; null fields for a file that cannot be read. */
    private record Stamp(Object certificate, Object key) {
        static Stamp of(Path certificate, Path key) {
            return new Stamp(version(certificate), version(key));
        }

        private static Object version(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return java.util.List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
            } catch (IOException e) {
                return null;
            }
        }
    }

    private final Path certificate;
    private final Path key;
    private final long checkNanos;
    private final AtomicLong nextCheck;
    private volatile CertifiedKey current;
    private volatile Stamp stamp;

    private PemCertificate(Path certificate, Path key, Duration checkEvery, CertifiedKey current, Stamp stamp) {
        this.certificate = certificate;
        this.key = key;
        this.checkNanos = checkEvery.toNanos();
        this.nextCheck = new AtomicLong(System.nanoTime() + checkNanos);
        this.current = current;
        this.stamp = stamp;
    }

    /** @throws IOException naming the file at fault when the pair cannot be used now */
    public static PemCertificate load(Path certificate, Path key, Duration checkEvery) throws IOException {
        Stamp stamp = Stamp.of(certificate, key);
        return new PemCertificate(certificate, key, checkEvery, TlsContexts.readPair(certificate, key), stamp);
    }

    /**
     * A pair that may not exist yet (an ACME certificate before its first issuance): {@link #get} is null until
     * the files appear and fit.
     */
    public static PemCertificate watch(Path certificate, Path key, Duration checkEvery) {
        PemCertificate p = new PemCertificate(certificate, key, checkEvery, null, new Stamp(null, null));
        p.reloadIfChanged();
        return p;
    }

    /** The pair of the moment; null only for a watched pair that never loaded. */
    @Override
    public CertifiedKey get() {
        long now = System.nanoTime();
        long due = nextCheck.get();
        if (now - due >= 0 && nextCheck.compareAndSet(due, now + checkNanos)) {
            reloadIfChanged();
        }
        return current;
    }

    private void reloadIfChanged() {
        Stamp now = Stamp.of(certificate, key);
        if (now.equals(stamp)) {
            return;
        }
        stamp = now; // a pair that fails is reported once, not at every handshake
        try {
            current = TlsContexts.readPair(certificate, key);
            LOG.info("event=certificate-reloaded certificate={} key={}", certificate, key);
        } catch (IOException e) {
            if (now.certificate() != null || now.key() != null) {
                LOG.warn("event=certificate-refused problem=\"{}\" (the previous certificate stays in use)",
                        e.getMessage());
            }
        }
    }
}
