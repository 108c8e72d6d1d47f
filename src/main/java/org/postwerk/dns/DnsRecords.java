package org.postwerk.dns;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * How names become dnsjava names and dnsjava records become the plain values {@link Resolver} returns; shared by
 * every resolver over dnsjava so they all answer alike.
 */
public final class DnsRecords {
    private DnsRecords() {}

    /**
     * The character-strings of one TXT record joined without separators (RFC 7208 §3.3, RFC 6376 §3.6.2.2),
     * from the raw bytes (dnsjava's text form escapes them), decoded as UTF-8: non-ASCII or malformed bytes stay
     * visible as non-ASCII characters so SPF/DKIM parsers reject them.
     */
    /**
     * The absolute DNS name for a host name given as text, with or without the trailing dot; U-labels become
     * A-labels (RFC 5890 §2.3.2.1). Empty when no such name can be written in the DNS (empty or long labels).
     */
    public static Optional<Name> name(String text) {
        String bare = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (bare.isEmpty()) {
            return Optional.empty();
        }
        try {
            boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(bare);
            String labels = ascii ? bare : IDN.toASCII(bare, IDN.ALLOW_UNASSIGNED);
            return Optional.of(Name.fromString(labels + "."));
        } catch (IllegalArgumentException | TextParseException e) {
            return Optional.empty();
        }
    }

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
