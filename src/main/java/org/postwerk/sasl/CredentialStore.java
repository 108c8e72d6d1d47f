package org.postwerk.sasl;

import java.util.Optional;

/** Where mechanisms check what a client proves. The account store implements it. */
public interface CredentialStore {
    /** True when the user exists and the password is theirs. Takes about as long either way. */
    boolean authenticate(String user, char[] password);

    /** The user's stored SCRAM-SHA-256 credentials, empty when there is no such user. */
    Optional<ScramCredentials> scram(String user);
}
