package org.postwerk.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One DNS list as postscreen's {@code postscreen_dnsbl_sites} writes it: {@code domain[=filter][*weight]}, e.g.
 * {@code "zen.spamhaus.org=127.0.0.[2..11]*3"} or {@code "list.dnswl.org=127.0.[0..255].[1..3]*-5"}. The filter
 * is four octet patterns, each a number, a range {@code [n..m]} or a set {@code [a;b;c]}. Without a filter any
 * answer in 127.0.0.0/8 counts (RFC 5782 §2.1) except 127.255.255.0/24, where lists such as Spamhaus answer
 * "you may not query us" rather than "listed". The weight (default 1) is added to the client's score when the
 * list answers; a negative weight makes it an allow list.
 */
public record DnsListSite(String domain, List<BitSet> filter, int weight) {
    public DnsListSite {
        filter = filter.stream().map(b -> (BitSet) b.clone()).toList();
    }

    /** Parses one entry; throws {@link IllegalArgumentException} with a message fit for the operator. */
    public static DnsListSite parse(String text) {
        String rest = text.strip();
        int weight = 1;
        int star = rest.lastIndexOf('*');
        if (star >= 0) {
            String w = rest.substring(star + 1);
            if (!w.matches("-?[0-9]{1,6}")) {
                throw new IllegalArgumentException("weight must be an integer after \"*\", got \"" + text + "\"");
            }
            weight = Integer.parseInt(w);
            rest = rest.substring(0, star);
        }
        List<BitSet> filter = List.of();
        int eq = rest.indexOf('=');
        if (eq >= 0) {
            filter = filter(rest.substring(eq + 1), text);
            rest = rest.substring(0, eq);
        }
        return new DnsListSite(ConfigLoader.domain(rest), filter, weight);
    }

    private static List<BitSet> filter(String pattern, String text) {
        // Dots outside brackets separate the octets; inside, ".." is a range.
        List<String> octets = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == '.' && depth == 0) {
                octets.add(pattern.substring(from, i));
                from = i + 1;
            }
        }
        octets.add(pattern.substring(from));
        if (octets.size() != 4) {
            throw new IllegalArgumentException("the filter after \"=\" must have four octets like 127.0.0.[2..11],"
                    + " got \"" + text + "\"");
        }
        List<BitSet> out = new ArrayList<>();
        for (String o : octets) {
            out.add(octet(o, text));
        }
        return out;
    }

    /** The octet values an octet pattern allows. */
    private static BitSet octet(String o, String text) {
        String body = o.startsWith("[") && o.endsWith("]") ? o.substring(1, o.length() - 1) : o;
        BitSet values = new BitSet(256);
        for (String part : body.split(";", -1)) {
            String[] range = part.split("\\.\\.", -1);
            if (range.length > 2 || !o.startsWith("[") && (range.length > 1 || body.contains(";"))) {
                throw badOctet(o, text);
            }
            int low = value(range[0], o, text);
            int high = range.length == 2 ? value(range[1], o, text) : low;
            if (low > high) {
                throw badOctet(o, text);
            }
            values.set(low, high + 1);
        }
        return values;
    }

    private static int value(String s, String o, String text) {
        if (!s.matches("[0-9]{1,3}") || Integer.parseInt(s) > 255) {
            throw badOctet(o, text);
        }
        return Integer.parseInt(s);
    }

    private static IllegalArgumentException badOctet(String o, String text) {
        return new IllegalArgumentException("\"" + o + "\" is not an octet pattern (a number 0-255, [n..m] or"
                + " [a;b;c]) in \"" + text + "\"");
    }

    /** True when the list's answer {@code a} counts as "listed" for this entry. */
    public boolean matches(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length != 4) {
            return false;
        }
        if (filter.isEmpty()) {
            return (b[0] & 0xff) == 127 && !((b[1] & 0xff) == 255 && (b[2] & 0xff) == 255);
        }
        for (int i = 0; i < 4; i++) {
            if (!filter.get(i).get(b[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** The values as runs: {@code 2..11}, {@code 5}. */
    private static List<String> runs(BitSet v) {
        List<String> out = new ArrayList<>();
        for (int low = v.nextSetBit(0); low >= 0; low = v.nextSetBit(v.nextClearBit(low))) {
            int high = v.nextClearBit(low) - 1;
            out.add(low == high ? Integer.toString(low) : low + ".." + high);
        }
        return out;
    }

    /** Back in the form of the file. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(domain);
        if (!filter.isEmpty()) {
            s.append('=');
            for (int i = 0; i < 4; i++) {
                BitSet v = filter.get(i);
                s.append(i == 0 ? "" : ".").append(v.cardinality() == 1 ? Integer.toString(v.nextSetBit(0))
                        : "[" + String.join(";", runs(v)) + "]");
            }
        }
        return weight == 1 ? s.toString() : s.append('*').append(weight).toString();
    }
}
