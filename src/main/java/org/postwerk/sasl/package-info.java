/**
 * SASL (RFC 4422) server mechanisms as pure state machines: PLAIN, LOGIN and SCRAM-SHA-256, plus the SCRAM
 * credential math the account store uses to precompute stored keys, and the {@link org.postwerk.sasl.LoginBudget}
 * of failed logins that every exchange runs under. No sockets, no base64 framing of a particular protocol, no
 * knowledge of where accounts live: SMTP AUTH, IMAP and POP3 drive the same objects.
 */
package org.postwerk.sasl;
