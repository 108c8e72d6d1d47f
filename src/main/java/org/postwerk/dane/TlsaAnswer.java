package org.postwerk.dane;

import java.util.List;

/** What the DNS says about the TLSA records of one MX host, as far as DANE may use it (RFC 7672 §2.2). */
public sealed interface TlsaAnswer {
    /** Validated records (possibly none usable); never empty. */
    record Secure(List<Tlsa> records) implements TlsaAnswer {
        public Secure {
            records = List.copyOf(records);
        }

        public List<Tlsa> usable() {
            return records.stream().filter(Tlsa::usable).toList();
        }
    }

    /** No DANE for this host: insecure answers, or a validated denial that any TLSA record exists. */
    record None(String why) implements TlsaAnswer {}

    /** The lookup failed validation or failed outright: RFC 7672 §2.2 says do not deliver to this host. */
    record Bogus(String why) implements TlsaAnswer {}
}
