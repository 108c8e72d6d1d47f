package org.postwerk.dns;

/** One MX record: preference and exchange host name (without the trailing dot; "" for null MX, RFC 7505). */
public record MxHost(int preference, String host) {}
