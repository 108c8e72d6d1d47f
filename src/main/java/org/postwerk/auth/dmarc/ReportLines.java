package org.postwerk.auth.dmarc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text form of a {@link ReportRow}, one tab-separated line an operator can read:
 * {@code source  header-from  disposition  dkim-aligned  spf-aligned  spf  dkim,dkim}; {@code -} for none.
 */
final class ReportLines {
    private static final int FIELDS = 7;
    private static final Pattern ADDRESS =
            Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F]{0,4}:[0-9a-fA-F:.]*");

    private ReportLines() {}

    static String format(ReportRow row) {
        return String.join("\t",
                row.source().getHostAddress(),
                clean(row.headerFrom()),
                row.disposition().reportKeyword(),
                row.dkimAligned() ? "pass" : "fail",
                row.spfAligned() ? "pass" : "fail",
                row.spf().map(ReportLines::clean).orElse("-"),
                row.dkim().isEmpty() ? "-" : String.join(",", row.dkim().stream().map(ReportLines::clean).toList()))
                + "\n";
    }

    /** The row of a line, or empty for a line that is not one (torn, edited). */
    static Optional<ReportRow> parse(String policyDomain, String line) {
        String[] f = line.split("\t", -1);
        // Only literal addresses: InetAddress.getByName must never turn a damaged line into a DNS lookup.
        if (f.length != FIELDS || !ADDRESS.matcher(f[0]).matches()) {
            return Optional.empty();
        }
        try {
            InetAddress source = InetAddress.getByName(f[0]);
            Disposition d = switch (f[2]) {
                case "none" -> Disposition.ACCEPT;
                case "quarantine" -> Disposition.QUARANTINE;
                case "reject" -> Disposition.REJECT;
                default -> throw new IllegalArgumentException(f[2]);
            };
            Optional<String> spf = f[5].equals("-") ? Optional.empty() : Optional.of(f[5]);
            List<String> dkim = f[6].equals("-") ? List.of() : Arrays.asList(f[6].split(","));
            return Optional.of(new ReportRow(policyDomain, source, f[1], d, f[3].equals("pass"), f[4].equals("pass"),
                    spf, dkim));
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Values come from messages and DNS: no separators inside a field. */
    private static String clean(String value) {
        return value.replaceAll("[\\t\\r\\n,]", "?");
    }
}
