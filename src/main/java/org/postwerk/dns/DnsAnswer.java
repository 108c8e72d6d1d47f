package org.postwerk.dns;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one DNS query. Callers must tell "the name has no such record" (a permanent, cacheable
 * answer) from "we could not find out" (temporary: timeout, SERVFAIL) — SPF, DMARC and MX routing all do.
 */
public sealed interface DnsAnswer<T> {
    /** Records found; {@code ttl} is the smallest TTL among them. */
    record Found<T>(List<T> records, Duration ttl) implements DnsAnswer<T> {
        public Found {
            records = List.copyOf(records);
        }
    }

    /** NXDOMAIN: the name does not exist. */
    record NxDomain<T>() implements DnsAnswer<T> {}

    /** The name exists but has no record of this type (NOERROR, empty answer). */
    record NoData<T>() implements DnsAnswer<T> {}

    /** Timeout, SERVFAIL, REFUSED, malformed answer: try again later. */
    record TempError<T>(String reason) implements DnsAnswer<T> {}

    /** The records, or an empty list for every other outcome. */
    default List<T> recordsOrEmpty() {
        return this instanceof Found<T> f ? f.records() : List.of();
    }
}
