/**
 * Local mailbox storage: the {@link org.postwerk.store.MailboxStore} seam and its embedded Maildir
 * implementation (Dovecot-compatible), which commits through {@link org.postwerk.journal.MessageFile} and reaches
 * the disk only through {@link org.postwerk.io.Disk}. Knows nothing about SMTP, accounts or routing: it is told
 * which mailboxes to write into.
 */
package org.postwerk.store;
