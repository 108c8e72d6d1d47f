package org.postwerk.auth.arc;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.BodyHasher;
import org.postwerk.auth.dkim.Canonicalization;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.auth.dkim.Feed;
import org.postwerk.auth.dkim.Folder;
import org.postwerk.auth.dkim.HeaderFields;
import org.postwerk.auth.dkim.MessageSplitter;
import org.postwerk.auth.dkim.SignedHeaders;

/**
 * Adds our ARC set to a message we forward (RFC 8617 §5.1): an ARC-Authentication-Results with what we
 * found, an ARC-Message-Signature over the message (relaxed/relaxed, the header fields DKIM signing picks)
 * and an ARC-Seal over the chain. One set has one seal, so one key signs: the first RSA key, else the first key
 * (RSA is what every ARC validator knows; Ed25519 support is rare). Thread-safe; streaming like
 * {@link DkimSigner}, or in one call with {@link #seal}.
 */
public final class ArcSealer {
    private static final int MAX_HEADER_BYTES = 1024 * 1024;

    private final DkimSigner.Key key;
    private final Clock clock;

    /** @param keys at least one key; see the class comment for which one is used */
    public ArcSealer(List<DkimSigner.Key> keys, Clock clock) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("ARC sealing needs a key");
        }
        this.key = keys.stream().filter(k -> k.algorithm().keyType() == Algorithm.KeyType.RSA).findFirst()
                .orElseGet(keys::getFirst);
        this.clock = clock;
    }

    /**
     * The three fields of the next ARC set, CRLF-terminated, to put before the header (empty when we must not
     * seal: the newest seal already says cv=fail, the chain is at 50 instances or has an unreadable i=, or the
     * header exceeds 1 MiB).
     *
     * @param message       the whole message as it will be forwarded (CRLF line ends)
     * @param authservId    our authserv-id (RFC 8601 §2.5), usually the host name
     * @param authResults   the results we computed, as in Authentication-Results after the authserv-id, e.g.
     *                      {@code "spf=pass smtp.mailfrom=a.example; dkim=pass header.d=a.example; arc=none"}
     * @param incomingChain what {@link ArcVerifier} found on this message: it gives cv=
     */
    public String seal(byte[] message, String authservId, String authResults, ArcResult incomingChain) {
        Sealing sealing = begin();
        sealing.update(message, 0, message.length);
        return sealing.finish(authservId, authResults, incomingChain);
    }

    public Sealing begin() {
        return new Sealing();
    }

    /** One message being sealed. */
    public final class Sealing {
        private final BodyHasher body = new BodyHasher(Canonicalization.RELAXED, -1);
        private final MessageSplitter splitter;
        private HeaderFields headers;
        private boolean overflow;
        private boolean finished;

        private Sealing() {
            splitter = new MessageSplitter(MAX_HEADER_BYTES, MessageSplitter.Sink.of((fields, tooLarge) -> {
                headers = fields;
                overflow = tooLarge;
            }, body::update));
        }

        public void update(byte[] b, int off, int len) {
            splitter.update(b, off, len);
        }

        public OutputStream asOutputStream() {
            return new Feed(this::update);
        }

        /** Ends the message; see {@link ArcSealer#seal} for the arguments and the result. Call once. */
        public String finish(String authservId, String authResults, ArcResult incomingChain) {
            if (finished) {
                throw new IllegalStateException("finish() called twice");
            }
            finished = true;
            splitter.finish();
            String bodyHash = Base64.getEncoder().encodeToString(body.finish().hash());
            ArcChain chain = ArcChain.of(headers);
            if (overflow || chain instanceof ArcChain.Broken b && b.markedFailed()) {
                return ""; // §5.1.2: no set after one that says cv=fail
            }
            List<ArcSet> earlier = chain instanceof ArcChain.Sets s ? s.sets() : List.of();
            int highest = switch (chain) {
                case ArcChain.None n -> 0;
                case ArcChain.Broken b -> b.highest(); // 0: an unreadable i=, no safe next instance
                case ArcChain.Sets s -> s.highest();
            };
            if (highest >= ArcSet.MAX_INSTANCES || highest == 0 && chain instanceof ArcChain.Broken) {
                return ""; // §4.2.1: no instance beyond 50; none we could number after an unreadable one
            }
            ArcResult.Status cv = cv(chain, incomingChain);
            // §5.1.2: with cv=fail the seal covers only our own set; earlier sets are not trusted to be intact.
            return new SetWriter(key, clock.instant(), highest + 1, cv)
                    .write(headers, bodyHash, authservId, authResults, cv == ArcResult.Status.FAIL ? List.of() : earlier);
        }
    }

    /** cv=: none without a chain, pass only when the chain we saw is well formed and validated. */
    private static ArcResult.Status cv(ArcChain chain, ArcResult incoming) {
        return switch (chain) {
            case ArcChain.None n -> ArcResult.Status.NONE;
            case ArcChain.Broken b -> ArcResult.Status.FAIL;
            case ArcChain.Sets s -> incoming.passed() && incoming.instances() == s.highest()
                    ? ArcResult.Status.PASS : ArcResult.Status.FAIL;
        };
    }

    /** Writes the three fields of one set. */
    private record SetWriter(DkimSigner.Key key, java.time.Instant now, int instance, ArcResult.Status cv) {
        String write(HeaderFields headers, String bodyHash, String authservId, String authResults,
                     List<ArcSet> earlier) {
            Folder aar = new Folder("ARC-Authentication-Results:").add("i=" + instance + ";").add(authservId + ";");
            for (String word : (authResults.isBlank() ? "none" : authResults.strip()).split("[ \t\r\n]+")) {
                aar.add(word); // folded at the spaces the value has (RFC 5322 §2.2.3)
            }
            String results = aar.text() + "\r\n";
            String message = messageSignature(headers, bodyHash);
            String seal = seal(earlier, results, message);
            return seal + message + results;
        }

        private String messageSignature(HeaderFields headers, String bodyHash) {
            List<String> names = DkimSigner.headerNames(headers);
            Folder f = new Folder("ARC-Message-Signature:").add("i=" + instance + ";")
                    .add("a=" + key.algorithm().tag() + ";").add("c=relaxed/relaxed;")
                    .add("d=" + key.domain() + ";").add("s=" + key.selector() + ";")
                    .add("t=" + now.getEpochSecond() + ";");
            f.addList("h=", names, ":", ";").add("bh=" + bodyHash + ";").add("b=");
            byte[] data = SignedHeaders.data(headers, names, Canonicalization.RELAXED, f.text());
            return f.addBase64(sign(data)).text() + "\r\n";
        }

        private String seal(List<ArcSet> earlier, String results, String message) {
            Folder f = new Folder("ARC-Seal:").add("i=" + instance + ";").add("a=" + key.algorithm().tag() + ";")
                    .add("t=" + now.getEpochSecond() + ";").add("cv=" + cv.keyword() + ";")
                    .add("d=" + key.domain() + ";").add("s=" + key.selector() + ";").add("b=");
            byte[] data = ArcSet.sealedData(earlier, results, message, f.text());
            return f.addBase64(sign(data)).text() + "\r\n";
        }

        private String sign(byte[] data) {
            try {
                return Base64.getEncoder().encodeToString(SignedHeaders.sign(key.algorithm(), key.privateKey(), data));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ARC key " + key.selector() + "._domainkey." + key.domain()
                        + " cannot sign", e);
            }
        }
    }
}
