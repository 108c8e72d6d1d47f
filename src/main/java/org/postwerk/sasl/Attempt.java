package org.postwerk.sasl;

import java.net.InetAddress;

/**
 * One client's login attempt: the {@link LoginBudget} decides at the start whether it may run at all, and hears
 * how it ended (success or failure; a {@link Step.Busy} is neither). Every mechanism runs inside one, so no
 * protocol can forget to count.
 */
final class Attempt implements SaslMechanism {
    private final SaslMechanism mechanism;
    private final LoginBudget budget;
    private final InetAddress client;

    Attempt(SaslMechanism mechanism, LoginBudget budget, InetAddress client) {
        this.mechanism = mechanism;
        this.budget = budget;
        this.client = client;
    }

    @Override
    public String name() {
        return mechanism.name();
    }

    @Override
    public Step start(byte[] initialResponse) {
        if (!budget.admits(client)) {
            return new Step.Busy("failed-login budget spent and this client failed last");
        }
        return counted(mechanism.start(initialResponse));
    }

    @Override
    public Step next(byte[] clientData) {
        return counted(mechanism.next(clientData));
    }

    private Step counted(Step step) {
        switch (step) {
            case Step.Success s -> budget.succeeded(client);
            case Step.Failure f -> budget.failed(client);
            case Step.Challenge c -> { }
            case Step.Busy b -> { }
        }
        return step;
    }
}
