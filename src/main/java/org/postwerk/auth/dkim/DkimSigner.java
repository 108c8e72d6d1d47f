package org.postwerk.auth.dkim;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Signs outgoing mail with one or more keys (RFC 6376 §5), streaming like {@link DkimVerifier}: feed the
 * message to a {@link Signing}, then prepend what {@link Signing#finish()} returns. With an RSA and an Ed25519
 * key a message gets two signatures (RFC 8463 §1: dual signing until Ed25519 is verified everywhere).
 * Thread-safe; one signer per set of keys.
 */
public final class DkimSigner {
    /**
     * @param headerCanon c= for the header (relaxed survives the re-folding some relays do)
     * @param bodyCanon   c= for the body
     * @param validity    when present, x= is set this long after t=
     */
    public record Options(Canonicalization headerCanon, Canonicalization bodyCanon, Optional<Duration> validity) {
        public static final Options DEFAULT = new Options(Canonicalization.RELAXED, Canonicalization.RELAXED,
                Optional.empty());
    }

    /** A private key and where its public half is published ({@code selector._domainkey.domain}). */
    public record Key(String domain, String selector, Algorithm algorithm, PrivateKey privateKey) {
        public Key {
            if (algorithm == Algorithm.RSA_SHA1) {
                throw new IllegalArgumentException("rsa-sha1 must not be used to sign (RFC 8301 §3.1)");
            }
        }

        /** A key from PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}), RSA or Ed25519. */
        public static Key fromPem(String domain, String selector, String pem) throws GeneralSecurityException {
            PrivateKey key = PemKeys.privateKey(pem);
            Algorithm algorithm = key.getAlgorithm().equals("RSA") ? Algorithm.RSA_SHA256 : Algorithm.ED25519_SHA256;
            return new Key(domain, selector, algorithm, key);
        }
    }

    /** Header fields signed when present (RFC 6376 §5.4.1: those that carry the message's meaning). */
    static final List<String> SIGNED = List.of("from", "reply-to", "sender", "to", "cc", "subject", "date",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "content-id", "content-description", "resent-date", "resent-from", "resent-sender", "resent-to",
            "resent-cc", "resent-message-id", "list-id", "list-help", "list-unsubscribe", "list-unsubscribe-post",
            "list-subscribe", "list-post", "list-owner", "list-archive", "autocrypt", "openpgp");

    /** Fields listed once more than present, so adding another instance breaks the signature (§5.4.2, §8.15). */
    static final List<String> OVERSIGNED = List.of("from", "reply-to", "to", "cc", "subject", "date", "message-id");

    private static final int MAX_HEADER_BYTES = 1024 * 1024;

    private final List<Key> keys;
    private final Clock clock;
    private final Options options;

    public DkimSigner(List<Key> keys, Clock clock) {
        this(keys, clock, Options.DEFAULT);
    }

    public DkimSigner(List<Key> keys, Clock clock, Options options) {
        this.keys = List.copyOf(keys);
        this.clock = clock;
        this.options = options;
    }

    public Signing begin() {
        return new Signing();
    }

    /** One message being signed. */
    public final class Signing {
        private final BodyHasher body = new BodyHasher(options.bodyCanon(), -1);
        private final MessageSplitter splitter;
        private HeaderFields headers;
        private boolean overflow;
        private boolean finished;

        private Signing() {
            splitter = new MessageSplitter(MAX_HEADER_BYTES, MessageSplitter.Sink.of((fields, tooLarge) -> {
                headers = fields;
                overflow = tooLarge;
            }, body::update));
        }

        public void update(byte[] b, int off, int len) {
            splitter.update(b, off, len);
        }

        /** This signing as a stream to tee the content into. */
        public OutputStream asOutputStream() {
            return new Feed(this::update);
        }

        /**
         * The DKIM-Signature fields, folded and CRLF-terminated, to put before the header; empty when there are
         * no keys or the header exceeds 1 MiB (such a message would not be verifiable by most receivers anyway).
         */
        public String finish() {
            if (finished) {
                throw new IllegalStateException("finish() called twice");
            }
            finished = true;
            splitter.finish();
            String bodyHash = Base64.getEncoder().encodeToString(body.finish().hash());
            if (overflow) {
                return "";
            }
            StringBuilder fields = new StringBuilder();
            Instant now = clock.instant();
            List<String> names = headerNames(headers);
            for (Key key : keys) {
                fields.append(sign(key, headers, names, bodyHash, now));
            }
            return fields.toString();
        }
    }

    /** h=: each present field of {@link #SIGNED} once per instance, plus one for the oversigned ones. */
    public static List<String> headerNames(HeaderFields headers) {
        List<String> names = new ArrayList<>();
        for (String name : SIGNED) {
            int count = headers.named(name).size() + (OVERSIGNED.contains(name) ? 1 : 0);
            for (int i = 0; i < count; i++) {
                names.add(name);
            }
        }
        return names;
    }

    private String sign(Key key, HeaderFields headers, List<String> names, String bodyHash, Instant now) {
        Folder f = new Folder("DKIM-Signature:");
        f.add("v=1;").add("a=" + key.algorithm().tag() + ";")
                .add("c=" + options.headerCanon().tag() + "/" + options.bodyCanon().tag() + ";")
                .add("d=" + key.domain() + ";").add("s=" + key.selector() + ";")
                .add("t=" + now.getEpochSecond() + ";");
        options.validity().ifPresent(v -> f.add("x=" + now.plus(v).getEpochSecond() + ";"));
        f.addList("h=", names, ":", ";");
        f.add("bh=" + bodyHash + ";");
        f.add("b=");
        String unsigned = f.text();
        byte[] data = SignedHeaders.data(headers, names, options.headerCanon(), unsigned);
        try {
            byte[] signature = SignedHeaders.sign(key.algorithm(), key.privateKey(), data);
            return f.addBase64(Base64.getEncoder().encodeToString(signature)).text() + "\r\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM key for " + key.selector() + "._domainkey." + key.domain()
                    + " cannot sign", e);
        }
    }
}
