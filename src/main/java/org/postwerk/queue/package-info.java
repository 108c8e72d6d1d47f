/**
 * The durable queue: accepted messages as operator-readable spool files (message + envelope/state text file),
 * made durable through the journal or by fsync (group-committed either way), per-recipient state (a sealed
 * {@link org.postwerk.queue.State} with the typed {@link org.postwerk.queue.Reason}), the retry schedule and
 * delivery status notifications (DSNs). Each recipient carries the {@link org.postwerk.queue.Route} decided at
 * RCPT; the queue keeps it but never computes one, and knows nothing about SMTP clients: delivery results come
 * in as {@link org.postwerk.queue.Result}s.
 */
package org.postwerk.queue;
