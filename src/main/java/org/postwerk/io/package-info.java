/**
 * Files and durability. {@link org.postwerk.io.Disk} is the one seam through which the journal, the Maildir store,
 * the queue spool and {@link org.postwerk.io.DurableFile} (account, TLS and DKIM files) create their files (0600,
 * folders 0700) and make them durable: fsync, fdatasync, directory and filesystem sync. Also the spill buffer of
 * messages being received. Knows nothing about mail; never swallows an I/O error.
 */
package org.postwerk.io;
