package org.postwerk.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.account.Change;
import org.postwerk.account.HashPool;
import org.postwerk.account.Passwords;

/** The mechanisms against the real account store, as the server wires them. */
class AccountStoreSaslTest {
    @TempDir
    Path dir;

    @Test
    void scramAndPlainWorkFromTheStoredCredentials() throws IOException {
        AccountStore store = new AccountStore(dir, AccountSettings.of(Set.of("example.org")));
        assertThat(new AccountEditor(store).addUser("alice@example.org", "Tr0ub4dor&3".toCharArray()))
                .isEqualTo(new Change.Applied());
        HashPool pool = new HashPool(1, 0);
        Sasl sasl = new Sasl(new Passwords(store, pool), new LoginBudget(10, Clock.systemUTC()));

        for (String password : new String[] {"Tr0ub4dor&3", "Tr0ub4dor&4"}) {
            SaslMechanism scram = sasl.server("SCRAM-SHA-256").orElseThrow();
            ScramClient client = new ScramClient("alice@example.org", password, "n0nce", "n,,");
            Step.Challenge first = (Step.Challenge) scram.start(client.first());
            Step last = scram.next(client.last(first.data()));
            if (password.endsWith("3")) {
                assertThat(client.verify(((Step.Success) last).finalServerData())).isTrue();
            } else {
                assertThat(last).isInstanceOf(Step.Failure.class);
            }
        }
        assertThat(sasl.server("PLAIN").orElseThrow().start("\0Alice@Example.org\0Tr0ub4dor&3".getBytes(UTF_8)))
                .isInstanceOf(Step.Success.class);
        assertThat(sasl.server("PLAIN").orElseThrow().start("\0alice@example.org\0Tr0ub4dor&4".getBytes(UTF_8)))
                .isInstanceOf(Step.Failure.class);
        pool.close();
    }
}
