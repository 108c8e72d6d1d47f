/**
 * Local mailbox storage: the {@link org.postwerk.store.MailboxStore} seam and its embedded Maildir
 * implementation (Dovecot-compatible). Owns the durability helpers (fsync of files and directories).
 * Knows nothing about SMTP, accounts or routing: it is told which mailboxes to write into.
 */
package org.postwerk.store;
