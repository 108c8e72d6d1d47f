/**
 * Delivery: the {@link org.postwerk.delivery.Courier} seam and its outcomes, routing (local Maildir, MX,
 * per-domain overrides), the scheduler with its bounded active set, and the operator delivery log.
 * Depends on queue, dns, store, account and smtp.client; never on the SMTP server or the CLI.
 */
package org.postwerk.delivery;
