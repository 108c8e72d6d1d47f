/**
 * IMAP protocol vocabulary (RFC 9051, RFC 3501 and the extensions we offer), without sockets or storage:
 * the command reader and parser, sequence sets, search keys, fetch items, mailbox-name encoding and the
 * writer of response syntax. Pure and bounded, so it can be table-tested and fuzzed. Knows nothing about
 * Maildir or accounts.
 */
package org.postwerk.imap;
