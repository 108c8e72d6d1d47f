/**
 * Accounts, local domains and aliases: the files under {@code DATA/accounts/}, password hashing (Argon2id, on the
 * bounded {@link org.postwerk.account.HashPool}, never on a session's thread), precomputed SCRAM credentials, and
 * recipient routing for local domains ({@link org.postwerk.account.Directory}). "Auth" never means login here:
 * message authentication (SPF, DKIM, DMARC) lives in {@code auth}. Knows no protocol; the SASL mechanisms ask
 * {@link org.postwerk.account.Passwords} through {@link org.postwerk.sasl.CredentialStore}.
 */
package org.postwerk.account;
