/**
 * The write-ahead journal: accepted messages are made durable by appending them to a segment file and
 * fsyncing that one file for a whole batch of sessions (group commit), instead of fsyncing every Maildir file
 * and directory. Checkpoints make the filesystem durable and drop old segments; after a crash the segments
 * still present are replayed. Knows nothing about SMTP or Maildir: records are typed byte payloads.
 */
package org.postwerk.journal;
