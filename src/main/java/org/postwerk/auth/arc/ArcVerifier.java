package org.postwerk.auth.arc;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postwerk.auth.dkim.BodyHasher;
import org.postwerk.auth.dkim.Canonicalization;
import org.postwerk.auth.dkim.DkimResult;
import org.postwerk.auth.dkim.DkimSignature;
import org.postwerk.auth.dkim.Feed;
import org.postwerk.auth.dkim.HeaderFields;
import org.postwerk.auth.dkim.KeyFetch;
import org.postwerk.auth.dkim.MessageSplitter;
import org.postwerk.auth.dkim.SignatureCheck;
import org.postwerk.auth.dkim.SignedHeaders;
import org.postwerk.dns.Resolver;

/**
 * Validates the ARC chain of a message while it is received (RFC 8617 §5.2), shaped like
 * {@link org.postwerk.auth.dkim.DkimVerifier}: feed the content to a {@link Check}, then {@link Check#finish()}.
 * The header is collected (bounded); the body is hashed as it streams past, once per (canonicalisation, l=)
 * the AMSs need; key lookups start when the header is complete. Keys, AMSs and AS keys are checked exactly as
 * DKIM checks them (RSA of at least 1024 bits, no rsa-sha1). A DNS failure makes the chain fail: ARC has no
 * temperror result (§4.4), and the reason says so. Thread-safe; one verifier serves all sessions.
 */
public final class ArcVerifier {
    private static final int MAX_HEADER_BYTES = 256 * 1024;
    private static final int MIN_RSA_BITS = 1024;

    private final Resolver resolver;
    private final Clock clock;

    public ArcVerifier(Resolver resolver, Clock clock) {
        this.resolver = resolver;
        this.clock = clock;
    }

    public Check begin() {
        return new Check();
    }

    /** One message being validated: {@link #update} with its content (CRLF line ends), then {@link #finish} once. */
    public final class Check {
        private final MessageSplitter splitter;
        private final Map<BodyKey, BodyHasher> bodies = new HashMap<>();
        private final KeyFetch keys = new KeyFetch(resolver);
        private HeaderFields headers;
        private ArcChain chain;
        private boolean finished;

        private Check() {
            splitter = new MessageSplitter(MAX_HEADER_BYTES, MessageSplitter.Sink.of(this::start,
                    (b, off, len) -> bodies.values().forEach(hasher -> hasher.update(b, off, len))));
        }

        public void update(byte[] b, int off, int len) {
            splitter.update(b, off, len);
        }

        public OutputStream asOutputStream() {
            return new Feed(this::update);
        }

        private void start(HeaderFields fields, boolean overflow) {
            headers = fields;
            chain = overflow ? new ArcChain.Broken("header too large", 0, false) : ArcChain.of(fields);
            if (chain instanceof ArcChain.Sets s) {
                for (ArcSet set : s.sets()) {
                    keys.start(set.message());
                    keys.start(set.seal().key());
                    bodies.computeIfAbsent(BodyKey.of(set.message()), k -> new BodyHasher(k.canon(), k.length()));
                }
            }
        }

        /** Ends the message and validates its chain. */
        public ArcResult finish() {
            if (finished) {
                throw new IllegalStateException("finish() called twice");
            }
            finished = true;
            splitter.finish();
            Map<BodyKey, BodyHasher.Result> hashes = new HashMap<>();
            bodies.forEach((key, hasher) -> hashes.put(key, hasher.finish()));
            return switch (chain) {
                case ArcChain.None n -> ArcResult.NONE;
                case ArcChain.Broken b -> ArcResult.fail(b.highest(), b.reason());
                case ArcChain.Sets s -> validate(s.sets(), hashes);
            };
        }

        /** §5.2 steps 5 to 8: the newest AMS, the oldest-pass value, then every AS from the newest down. */
        private ArcResult validate(List<ArcSet> sets, Map<BodyKey, BodyHasher.Result> hashes) {
            int n = sets.size();
            SignatureCheck check = new SignatureCheck(keys, clock, MIN_RSA_BITS, headers);
            DkimResult newest = verifyMessage(check, sets.get(n - 1), hashes);
            if (!newest.passed()) {
                return ArcResult.fail(n, "AMS i=" + n + ": " + newest.result().keyword() + " " + newest.reason());
            }
            int oldestPass = 0;
            for (int i = n - 1; i >= 1; i--) {
                if (!verifyMessage(check, sets.get(i - 1), hashes).passed()) {
                    oldestPass = i + 1;
                    break;
                }
            }
            for (int i = n; i >= 1; i--) {
                String failure = verifySeal(sets.subList(0, i));
                if (!failure.isEmpty()) {
                    return ArcResult.fail(n, "AS i=" + i + ": " + failure);
                }
            }
            return ArcResult.pass(n, oldestPass);
        }

        private DkimResult verifyMessage(SignatureCheck check, ArcSet set, Map<BodyKey, BodyHasher.Result> hashes) {
            return check.verify(set.messageField(), set.message(), hashes.get(BodyKey.of(set.message())));
        }

        /** The last set's seal over the given sets; empty when it verifies, else why not. */
        private String verifySeal(List<ArcSet> sets) {
            ArcSet own = sets.get(sets.size() - 1);
            DkimSignature key = own.seal().key();
            return switch (SignatureCheck.key(keys, key, MIN_RSA_BITS)) {
                case SignatureCheck.Key.Error e -> e.result().keyword() + " " + e.reason();
                case SignatureCheck.Key.Usable usable -> {
                    byte[] data = ArcSet.sealedData(sets.subList(0, sets.size() - 1), own.results().raw(),
                            own.messageField().raw(), own.sealField().raw());
                    try {
                        yield SignedHeaders.verify(key.algorithm(), usable.key(), data, key.signature()) ? ""
                                : "seal did not verify";
                    } catch (GeneralSecurityException e) {
                        yield "seal did not verify: " + e.getMessage();
                    }
                }
            };
        }
    }

    /** What a body hash depends on, as in DKIM. */
    private record BodyKey(Canonicalization canon, long length) {
        static BodyKey of(DkimSignature s) {
            return new BodyKey(s.bodyCanon(), s.length().orElse(-1));
        }
    }
}
