/**
 * IMAP protocol vocabulary (RFC 9051, RFC 3501 and the extensions we offer), without sockets or storage.
 * {@link org.postwerk.imap.CommandReader} reads one command with its literals from the client, bounded and with
 * a continuation callback for synchronizing literals; {@link org.postwerk.imap.CommandParser} turns it into a
 * sealed {@link org.postwerk.imap.ImapCommand} (BAD and BADCHARSET are values, never exceptions); the values it
 * uses are {@link org.postwerk.imap.SequenceSet}, {@link org.postwerk.imap.SearchKey},
 * {@link org.postwerk.imap.FetchItem}, {@link org.postwerk.imap.Flags}, {@link org.postwerk.imap.StoreAction}
 * and {@link org.postwerk.imap.MailboxName} (modified UTF-7 or UTF-8). {@link org.postwerk.imap.ImapWriter}
 * builds response syntax. Pure and bounded, so it can be table-tested and fuzzed. Knows nothing about Maildir
 * or accounts.
 *
 * <p>Unlike SMTP (ADR 0003), a command line may end in a bare LF: IMAP has no dot-stuffing and delimits
 * message content by octet counts, so the line end cannot be used to smuggle anything; Dovecot and Cyrus
 * accept it too.
 */
package org.postwerk.imap;
