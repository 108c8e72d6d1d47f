package org.postwerk.sasl;

/** Turns data sent with success into a last challenge that the client must answer with empty data. */
final class FinalChallenge implements SaslMechanism {
    private final SaslMechanism inner;
    private String pendingUser;

    FinalChallenge(SaslMechanism inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Step start(byte[] initialResponse) {
        return hold(inner.start(initialResponse));
    }

    @Override
    public Step next(byte[] clientData) {
        if (pendingUser == null) {
            return hold(inner.next(clientData));
        }
        String user = pendingUser;
        pendingUser = null;
        // The inner mechanism is finished, so any later call fails there.
        return clientData.length == 0 ? new Step.Success(user, null)
                : new Step.Failure("non-empty response to the final server data");
    }

    private Step hold(Step step) {
        if (step instanceof Step.Success s && s.finalServerData() != null) {
            pendingUser = s.user();
            return new Step.Challenge(s.finalServerData());
        }
        return step;
    }
}
