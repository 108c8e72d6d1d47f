package org.postwerk.smtp.server;

import java.net.InetAddress;
import java.util.List;
import org.postwerk.sasl.Sasl;
import org.postwerk.sasl.SaslMechanism;

/**
 * SMTP AUTH on top of the {@link Sasl} mechanisms. SMTP cannot carry data with success (RFC 4954 §4), so
 * SCRAM's server-final message goes out as one more 334 challenge, and success follows the client's empty
 * answer.
 */
public final class SaslAuthentication implements Authentication {
    private final Sasl sasl;

    public SaslAuthentication(Sasl sasl) {
        this.sasl = sasl;
    }

    @Override
    public List<String> mechanisms() {
        return Sasl.MECHANISMS;
    }

    @Override
    public Exchange begin(String mechanism, InetAddress client) {
        return sasl.server(mechanism, client).map(SaslExchange::new).orElse(null);
    }

    private static final class SaslExchange implements Exchange {
        private final SaslMechanism mechanism;
        private boolean started;
        private String pendingUser;

        SaslExchange(SaslMechanism mechanism) {
            this.mechanism = mechanism;
        }

        @Override
        public Step step(byte[] clientData) {
            if (pendingUser != null) {
                return clientData.length == 0 ? new Step.Success(pendingUser, null)
                        : new Step.Failure("unexpected data after the server's final message");
            }
            org.postwerk.sasl.Step s = started ? mechanism.next(clientData) : mechanism.start(clientData);
            started = true;
            return switch (s) {
                case org.postwerk.sasl.Step.Challenge c -> new Step.Challenge(c.data());
                case org.postwerk.sasl.Step.Failure f -> new Step.Failure(f.reason());
                case org.postwerk.sasl.Step.Busy b -> new Step.Busy(b.reason());
                case org.postwerk.sasl.Step.Success ok when ok.finalServerData() != null -> {
                    pendingUser = ok.user();
                    yield new Step.Challenge(ok.finalServerData());
                }
                case org.postwerk.sasl.Step.Success ok -> new Step.Success(ok.user(), null);
            };
        }
    }
}
