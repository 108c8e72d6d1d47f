package org.postwerk.sasl;

import java.util.Optional;

/** Where mechanisms check what a client proves. {@code account.Passwords} implements it. */
public interface CredentialStore {
    /**
     * Whether the user exists and the password is theirs; takes about as long either way. May block the caller
     * (a virtual thread) while the check waits for its turn, or answer {@link PasswordCheck#BUSY} at once.
     */
    PasswordCheck authenticate(String user, char[] password);

    /** The user's stored SCRAM-SHA-256 credentials, empty when there is no such user. */
    Optional<ScramCredentials> scram(String user);
}
