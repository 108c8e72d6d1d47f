/**
 * MTA-STS (RFC 8461): the {@code _mta-sts} TXT record and the policy file as pure parsers, the policy fetch over
 * verified HTTPS, and the bounded, persisted policy cache that outbound delivery asks before it picks MX hosts;
 * also the policy this server publishes for its own domains. Depends on dns, tls and io; knows nothing about
 * the queue or SMTP sessions.
 */
package org.postwerk.sts;
