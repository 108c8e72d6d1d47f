/**
 * The defences of the public smtp port before a message is accepted: DNS block and allow lists (RFC 5782) for
 * the client address and the sender and HELO domains, the pregreet test, and greylisting with its state in the
 * data folder. Implements the SMTP server's {@code Screening} seam; asks the DNS only through the
 * {@code dns.Resolver} (which caches answers for their TTL); knows nothing about sockets.
 */
package org.postwerk.screen;
