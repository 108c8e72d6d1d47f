/**
 * The IMAP server: one {@link org.postwerk.imap.server.ImapSession} per connection on its own virtual thread,
 * reading like RFC 9051's state diagram (not authenticated, authenticated, selected, logout), over the
 * {@link org.postwerk.mailbox.MailAccess} of the logged-in user. FETCH, SEARCH and LIST have their own
 * classes. Knows nothing about Maildir.
 */
package org.postwerk.imap.server;
