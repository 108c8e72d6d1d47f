/**
 * The durable queue: accepted messages as operator-readable spool files (message + envelope/state text file),
 * group-committed fsyncs, per-recipient status, the retry schedule and delivery status notifications (DSNs).
 * Knows nothing about SMTP clients or routing: delivery results come in as {@link org.postwerk.queue.Result}s.
 */
package org.postwerk.queue;
