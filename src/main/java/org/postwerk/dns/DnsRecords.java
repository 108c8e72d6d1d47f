package org.postwerk.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

/** How dnsjava records become the plain values {@link Resolver} returns; shared by every resolver over dnsjava. */
public final class DnsRecords {
    private DnsRecords() {}

    /**
     * The character-strings of one TXT record joined without separators (RFC 7208 §3.3, RFC 6376 §3.6.2.2),
     * from the raw bytes (dnsjava's text form escapes them), decoded as UTF-8: non-ASCII or malformed bytes stay
     * visible as non-ASCII characters so SPF/DKIM parsers reject them.
     */
    public static String text(TXTRecord record) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        record.getStringsAsByteArrays().forEach(joined::writeBytes);
        return joined.toString(StandardCharsets.UTF_8);
    }

    public static MxHost mx(MXRecord record) {
        return new MxHost(record.getPriority(), host(record.getTarget()));
    }

    /** A host name without the trailing dot; the root (null MX, RFC 7505) is "". */
    public static String host(Name name) {
        return name.equals(Name.root) ? "" : name.toString(true);
    }
}
