package org.postwerk.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.SmtpInput;

/**
 * The challenge/response part of AUTH (RFC 4954 §4) over the session's lines: 334 challenges in base64, the
 * client's base64 answers ("=" empty, "*" cancels), bounded lines. Whether to try and what a failure costs
 * stay with the session.
 */
final class SaslDialogue {
    /** RFC 4954 §4: a SASL response line may be up to 12288 octets. */
    static final int SASL_LINE = 12288;

    /** The session's line I/O. */
    interface Lines {
        void send(Reply reply) throws IOException;

        SmtpInput.Line read(int max) throws IOException;
    }

    sealed interface Outcome {
        record Authenticated(String user) implements Outcome {}

        /** The mechanism refused the credentials: a failed login. */
        record Failed(String reason) implements Outcome {}

        /** The exchange broke off (cancel, bad base64, bad line): answered with this reply, not a failed login. */
        record Aborted(Reply reply) implements Outcome {}

        /** Credentials could not be checked now (too many at once, or failed-login budget): {@link #BUSY}. */
        record Busy(String reason) implements Outcome {}
    }

    /** RFC 4954 §6: "454 4.7.0 Temporary authentication failure". */
    static final Reply BUSY = Reply.of(454, 4, 7, 0, "Temporary authentication failure, try again later");

    private SaslDialogue() {}

    static Outcome run(Authentication.Exchange exchange, Optional<String> initialResponse, Lines lines)
            throws IOException {
        byte[] data = null;
        if (initialResponse.isPresent()) {
            data = decode(initialResponse.get());
            if (data == null) {
                return new Outcome.Aborted(Reply.of(501, 5, 5, 2, "Invalid base64 data"));
            }
        }
        while (true) {
            switch (exchange.step(data)) {
                case Authentication.Step.Success s -> {
                    return new Outcome.Authenticated(s.user());
                }
                case Authentication.Step.Failure f -> {
                    return new Outcome.Failed(f.reason());
                }
                case Authentication.Step.Busy b -> {
                    return new Outcome.Busy(b.reason());
                }
                case Authentication.Step.Challenge c -> {
                    lines.send(Reply.plain(334, List.of(Base64.getEncoder().encodeToString(c.data()))));
                    SmtpInput.Line line = lines.read(SASL_LINE);
                    if (line == null) {
                        throw new EOFException("client closed during AUTH");
                    }
                    if (line.status() == SmtpInput.LineStatus.BARE_LF) {
                        return new Outcome.Aborted(Replies.BARE_LF_COMMAND);
                    }
                    if (line.status() == SmtpInput.LineStatus.TOO_LONG) {
                        return new Outcome.Aborted(Reply.of(500, 5, 5, 6, "Authentication exchange line is too long"));
                    }
                    String text = new String(line.bytes(), 0, line.length(), StandardCharsets.US_ASCII);
                    if (text.equals("*")) {
                        return new Outcome.Aborted(Reply.of(501, 5, 0, 0, "Authentication cancelled"));
                    }
                    data = decode(text);
                    if (data == null) {
                        return new Outcome.Aborted(Reply.of(501, 5, 5, 2, "Invalid base64 data"));
                    }
                }
            }
        }
    }

    /** Base64 per RFC 4954 §4 ("=" is an empty response), or null when malformed. */
    static byte[] decode(String text) {
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
