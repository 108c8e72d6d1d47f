/**
 * DNS for the rest of Postwerk: the {@link org.postwerk.dns.Resolver} seam, its dnsjava implementation and
 * cache, and typed answers that keep "no such record" apart from "could not find out". Knows nothing of mail:
 * SPF, DMARC and MX routing interpret the answers. Never throws for DNS failures and never blocks unbounded.
 */
package org.postwerk.dns;
