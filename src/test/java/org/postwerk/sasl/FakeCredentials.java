package org.postwerk.sasl;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Users with clear-text passwords, for mechanism tests; SCRAM credentials derived with a fixed salt. */
record FakeCredentials(Map<String, String> passwords, byte[] salt) implements CredentialStore {
    FakeCredentials(Map<String, String> passwords) {
        this(passwords, "fixed-salt-16byt".getBytes());
    }

    @Override
    public PasswordCheck authenticate(String user, char[] password) {
        String expected = passwords.get(user);
        return expected != null && Arrays.equals(expected.toCharArray(), password) ? PasswordCheck.VALID
                : PasswordCheck.INVALID;
    }

    /** Mechanisms for these users, under a budget no test spends. */
    Sasl sasl() {
        return new Sasl(this, new LoginBudget(1000, Clock.systemUTC()));
    }

    @Override
    public Optional<ScramCredentials> scram(String user) {
        return Optional.ofNullable(passwords.get(user)).map(p -> ScramCredentials.derive(p.toCharArray(), salt, 4096));
    }
}
