/**
 * Message authentication (SPF, DKIM, DMARC, ARC in the sub-packages) and how its results are written down:
 * {@link org.postwerk.auth.AuthResults} builds the Authentication-Results header field (RFC 8601) and spots
 * forged ones that claim our authserv-id. No SMTP session code, no policy decisions.
 */
package org.postwerk.auth;
