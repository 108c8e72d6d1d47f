package org.postwerk.mailbox;

/**
 * A message joining a folder: where the backend keeps it ({@code locator}: the Maildir base name, later an
 * object id), its flags, INTERNALDATE (epoch milliseconds) and size in octets of its CRLF form
 * (RFC822.SIZE). The folder assigns the UID and MODSEQ.
 */
public record NewMessage(String locator, Flags flags, long internalDate, long size) {}
