/**
 * The write-ahead journal (ADR 0007): an accepted message is made durable by one record appended to a segment
 * file, whose fdatasync a whole batch of sessions shares (group commit), instead of an fsync of every Maildir or
 * spool file and directory. {@link org.postwerk.journal.MessageFile} is the one commit path of the Maildir store
 * and the queue spool (journal, or fsync for large messages); checkpoints make the placed files durable and
 * drop old segments; after a crash the segments still present are replayed. Knows the kinds of record
 * ({@link org.postwerk.journal.RecordType}) but not their payloads, nor SMTP, Maildir or the queue; all disk
 * access goes through {@link org.postwerk.io.Disk}.
 */
package org.postwerk.journal;
