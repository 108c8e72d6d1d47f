package org.postwerk.sasl;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** Users with clear-text passwords, for mechanism tests; SCRAM credentials derived with a fixed salt. */
record FakeCredentials(Map<String, String> passwords, byte[] salt) implements CredentialStore {
    FakeCredentials(Map<String, String> passwords) {
        this(passwords, "fixed-salt-16byt".getBytes());
    }

    @Override
    public boolean authenticate(String user, char[] password) {
        String expected = passwords.get(user);
        return expected != null && Arrays.equals(expected.toCharArray(), password);
    }

    @Override
    public Optional<ScramCredentials> scram(String user) {
        return Optional.ofNullable(passwords.get(user)).map(p -> ScramCredentials.derive(p.toCharArray(), salt, 4096));
    }
}
