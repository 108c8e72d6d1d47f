/**
 * The durable queue: accepted messages as operator-readable spool files (message + envelope/state text file),
 * made durable through the journal or by fsync (group-committed either way), per-recipient status, the retry
 * schedule and delivery status notifications (DSNs).
 * Knows nothing about SMTP clients or routing: delivery results come in as {@link org.postwerk.queue.Result}s.
 */
package org.postwerk.queue;
