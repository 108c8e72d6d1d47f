/**
 * The POP3 server (RFC 1939, CAPA and response codes of RFC 2449, STLS of RFC 2595, AUTH of RFC 5034): a pure
 * command parser, the one session class, and the maildrop, which is the INBOX of the mailbox store
 * ({@link org.postwerk.mailbox}). Logins go through the same SASL code, accounts and limits as SMTP and IMAP.
 * Knows nothing about IMAP sessions; the two meet only in the store.
 */
package org.postwerk.pop3;
