/**
 * Accounts, local domains and aliases: the files under {@code DATA/accounts/}, password hashing (Argon2id),
 * precomputed SCRAM credentials, and recipient routing for local domains ({@link org.postwerk.account.Directory}).
 * "Auth" never means login here: message authentication (SPF, DKIM, DMARC) lives in {@code auth}. Knows no
 * protocol; the SASL mechanisms ask it through {@link org.postwerk.sasl.CredentialStore}.
 */
package org.postwerk.account;
