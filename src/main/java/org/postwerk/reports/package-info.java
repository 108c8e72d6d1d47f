/**
 * Daily aggregate reports this server sends about others' domains: TLS-RPT (RFC 8460) for the TLS results of
 * our outbound mail, DMARC aggregate (RFC 7489 §7.2) for the mail we received. Collects, composes and hands the
 * report mail to the queue like submitted mail; must never hold up or fail mail flow, and never report on
 * report mail (RFC 8460 §3).
 */
package org.postwerk.reports;
