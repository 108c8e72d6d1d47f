package org.postwerk.auth.dkim;

import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postwerk.dns.Resolver;

/**
 * Verifies the DKIM signatures of a message while it is received (RFC 6376 §6). The SMTP server feeds the
 * dot-unstuffed content with CRLF line ends, in any chunking, to a {@link Check}; the header is collected
 * (bounded), then one body hash per distinct (canonicalisation, l=) the signatures need is computed as the
 * body streams past, so the body is never held in memory. Key lookups start when the header is complete,
 * on virtual threads, so DNS time overlaps the body; {@link Check#finish()} waits for them.
 * Thread-safe: one verifier serves all sessions; each message gets its own {@link Check}.
 */
public final class DkimVerifier {
    /**
     * @param minRsaBits     smallest RSA key accepted (RFC 8301 §3.2: at least 1024)
     * @param maxHeaderBytes bound on the collected header block
     * @param maxSignatures  signatures verified per message; further ones are reported as permerror
     */
    public record Options(int minRsaBits, int maxHeaderBytes, int maxSignatures) {
        public static final Options DEFAULT = new Options(1024, 256 * 1024, 8);
    }

    private final Resolver resolver;
    private final Clock clock;
    private final Options options;

    public DkimVerifier(Resolver resolver, Clock clock) {
        this(resolver, clock, Options.DEFAULT);
    }

    public DkimVerifier(Resolver resolver, Clock clock, Options options) {
        this.resolver = resolver;
        this.clock = clock;
        this.options = options;
    }

    /** Starts verifying one message. */
    public Check begin() {
        return new Check();
    }

    /** One message being verified: {@link #update} with its content, then {@link #finish} once. */
    public final class Check {
        private final MessageSplitter splitter;
        private final Map<BodyKey, BodyHasher> bodies = new HashMap<>();
        private final List<Pending> pending = new ArrayList<>();
        private final KeyFetch keys = new KeyFetch(resolver);
        private HeaderFields headers;
        private boolean finished;

        private Check() {
            splitter = new MessageSplitter(options.maxHeaderBytes(), MessageSplitter.Sink.of(this::start,
                    (b, off, len) -> bodies.values().forEach(hasher -> hasher.update(b, off, len))));
        }

        public void update(byte[] b, int off, int len) {
            splitter.update(b, off, len);
        }

        /** This check as a stream to tee the content into (e.g. {@code InboundChecks.Transaction.content()}). */
        public OutputStream asOutputStream() {
            return new Feed(this::update);
        }

        /** Ends the message and verifies every signature; an empty list when there is none. Call once. */
        public List<DkimResult> finish() {
            if (finished) {
                throw new IllegalStateException("finish() called twice");
            }
            finished = true;
            splitter.finish();
            Map<BodyKey, BodyHasher.Result> hashes = new HashMap<>();
            bodies.forEach((key, hasher) -> hashes.put(key, hasher.finish()));
            SignatureCheck check = new SignatureCheck(keys, clock, options.minRsaBits(), headers);
            List<DkimResult> results = new ArrayList<>();
            for (Pending p : pending) {
                results.add(p.early().orElseGet(() -> check.verify(p.field(), p.signature(),
                        hashes.get(BodyKey.of(p.signature())))));
            }
            return results;
        }

        /** The header is complete: parse the signatures and set up the body hashes they need. */
        private void start(HeaderFields fields, boolean overflow) {
            headers = fields;
            int count = 0;
            for (HeaderFields.Field field : fields.named("DKIM-Signature")) {
                count++;
                Parsed<DkimSignature> parsed = DkimSignature.parse(field.value());
                Optional<DkimResult> early = count > options.maxSignatures()
                        ? Optional.of(SignatureCheck.broken(field, "too many signatures"))
                        : overflow ? Optional.of(SignatureCheck.broken(field, "header too large"))
                        : SignatureCheck.early(field, parsed);
                DkimSignature signature = parsed instanceof Parsed.Ok<DkimSignature> ok ? ok.value() : null;
                if (early.isEmpty()) {
                    keys.start(signature);
                    bodies.computeIfAbsent(BodyKey.of(signature),
                            k -> new BodyHasher(k.canon(), k.length()));
                }
                pending.add(new Pending(field, signature, early));
            }
        }
    }

    /** What a body hash depends on (only SHA-256 is ever computed: rsa-sha1 is rejected before). */
    private record BodyKey(Canonicalization canon, long length) {
        static BodyKey of(DkimSignature s) {
            return new BodyKey(s.bodyCanon(), s.length().orElse(-1));
        }
    }

    /** A signature field and, when it was decided from the header alone, its result. */
    private record Pending(HeaderFields.Field field, DkimSignature signature, Optional<DkimResult> early) {}
}
