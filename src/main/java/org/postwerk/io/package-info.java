/**
 * Files and durability. {@link org.postwerk.io.Disk} is the one seam through which the journal, the Maildir store,
 * the queue spool and {@link org.postwerk.io.DurableFile} (account, TLS and DKIM files) create their files (0600,
 * folders 0700) and make them durable: fsync, fdatasync, directory and filesystem sync. Also the spill buffer of
 * messages being received and the free-space check of the data folder ({@link org.postwerk.io.DiskSpace}).
 * Knows nothing about mail; never swallows an I/O error (DiskSpace logs one and answers "room": the write that
 * follows reports it).
 */
package org.postwerk.io;
