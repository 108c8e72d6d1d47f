/**
 * The Sender Rewriting Scheme (SRS, as libsrs2 and postsrsd implement it): the envelope sender of mail an alias
 * forwards to another domain is rewritten into an address at our domain, so that the next hop's SPF check
 * passes, and bounces to such addresses are routed back to the original sender. Pure rewriting in {@link
 * org.postwerk.srs.Srs}; the secret file; a directory and a courier that put it in the paths of mail.
 */
package org.postwerk.srs;
