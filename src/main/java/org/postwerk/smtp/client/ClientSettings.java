package org.postwerk.smtp.client;

/** @param heloName our host name for EHLO/HELO (RFC 5321 §4.1.1.1: the FQDN of the client) */
public record ClientSettings(String heloName, ClientTimeouts timeouts) {}
