package org.postwerk.reports;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code _smtp._tls} TXT record (RFC 8460 §3): {@code v=TLSRPTv1; rua=mailto:a@example.com,https://...}.
 *
 * @param rua the report destinations, {@code mailto:} and {@code https:} URIs in the record's order
 */
public record TlsRptRecord(List<URI> rua) {
    private static final Pattern VERSION = Pattern.compile("^v=TLSRPTv1[ \\t]*(;|$)");

    public TlsRptRecord {
        rua = List.copyOf(rua);
    }

    /**
     * The record among the TXT strings of {@code _smtp._tls.DOMAIN}: §3 discards those that do not begin with
     * the version, and more or fewer than one that remains means the domain does not take reports.
     */
    public static Optional<TlsRptRecord> of(List<String> txt) {
        List<String> candidates = txt.stream().filter(t -> VERSION.matcher(t).find()).toList();
        return candidates.size() == 1 ? parse(candidates.getFirst()) : Optional.empty();
    }

    /** A record with at least one usable rua, or empty. */
    static Optional<TlsRptRecord> parse(String text) {
        List<URI> rua = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] kv = part.strip().split("=", 2);
            if (kv.length == 2 && kv[0].strip().equals("rua")) {
                for (String u : kv[1].split(",")) {
                    try {
                        URI uri = new URI(u.strip());
                        String scheme = String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT);
                        if (scheme.equals("mailto") || scheme.equals("https")) {
                            rua.add(uri);
                        }
                    } catch (URISyntaxException e) {
                        // §3: an unusable URI is skipped; the others still count
                    }
                }
            }
        }
        return rua.isEmpty() ? Optional.empty() : Optional.of(new TlsRptRecord(rua));
    }
}
