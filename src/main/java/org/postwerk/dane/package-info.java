/**
 * DANE for outbound SMTP (RFC 7672, RFC 6698, RFC 7671): TLSA records as values, matching a server's
 * certificate chain against them (a trust manager for the handshake), and the DNSSEC-aware lookups that say
 * whether an answer may be trusted at all. Depends on dns (dnsjava) and tls; knows nothing about the queue,
 * SMTP sessions or MTA-STS.
 */
package org.postwerk.dane;
