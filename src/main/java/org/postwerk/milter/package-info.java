/**
 * The milter client: the Sendmail milter protocol (versions 2 to 6) as Postfix speaks it, spoken to one or more
 * content filters (rspamd, clamav-milter, opendkim) per listener. Implements the SMTP server's
 * {@code InboundChecks} seam around the message-authentication checks; knows nothing of sockets of the SMTP
 * session, of the queue or of mailboxes. Its changes to a message (header fields, body, recipients, the Junk folder)
 * go back as a verdict value; what to store is the session's business.
 */
package org.postwerk.milter;
