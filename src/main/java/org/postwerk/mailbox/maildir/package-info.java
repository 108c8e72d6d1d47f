/**
 * The embedded backend of {@link org.postwerk.mailbox.MailAccess}: Maildir++ folders as Dovecot lays them
 * out, with a per-folder index snapshot ({@code postwerk.index}) and every change made durable by the
 * write-ahead journal first (ADR 0012). Knows nothing about IMAP syntax.
 */
package org.postwerk.mailbox.maildir;
