/**
 * DMARC (RFC 7489, with {@code np} from RFC 9091): {@link org.postwerk.auth.dmarc.DmarcRecord#parse} (pure),
 * the organisational domain from the Public Suffix List ({@link org.postwerk.auth.dmarc.OrganizationalDomains}),
 * policy discovery in DNS, identifier alignment and the policy to apply
 * ({@link org.postwerk.auth.dmarc.DmarcVerifier}), the author domain from the From header field
 * ({@link org.postwerk.auth.dmarc.FromDomain}), the operator's enforcement
 * ({@link org.postwerk.auth.dmarc.Enforcement}) and the aggregate report data
 * ({@link org.postwerk.auth.dmarc.DmarcReportStore}).
 * Does not verify SPF or DKIM itself: it takes their outcomes as small input records. No SMTP replies here.
 */
package org.postwerk.auth.dmarc;
