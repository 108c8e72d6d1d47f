/**
 * Mailboxes as IMAP and POP3 see them: one user's folders, each with UIDVALIDITY, strictly increasing UIDs,
 * flags and keywords, MODSEQs (RFC 7162) and the changes that sessions report to their clients. The seam
 * ({@link org.postwerk.mailbox.MailAccess}, {@link org.postwerk.mailbox.Folder}) is what a clustered backend
 * implements later; the in-memory model here ({@link org.postwerk.mailbox.FolderState}) is shared by the
 * embedded Maildir backend. Knows nothing about protocols or sockets.
 */
package org.postwerk.mailbox;
