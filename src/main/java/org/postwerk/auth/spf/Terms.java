package org.postwerk.auth.spf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The grammar of mechanism arguments (RFC 7208 §5, §12): domain-specs, networks and CIDR lengths. */
final class Terms {
    private Terms() {}

    /** An optional ":" domain-spec, then an optional dual-cidr-length ("/n", "//m" or both). */
    private static final Pattern DOMAIN_AND_CIDR = Pattern.compile("(:.*?)?(?:/([0-9]+))?(?://([0-9]+))?",
            Pattern.DOTALL);
    /** RFC 7208 §12: toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ). */
    private static final Pattern DOMAIN_END = Pattern.compile(
            ".*\\.([A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9])\\.?", Pattern.DOTALL);
    private static final Pattern DEC_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern CIDR = Pattern.compile("0|[1-9][0-9]*");

    static Optional<Mechanism> mechanism(String name, String rest) {
        return switch (name) {
            case "all" -> rest.isEmpty() ? Optional.of(new Mechanism.All()) : Optional.empty();
            case "include" -> requiredDomain(rest).map(Mechanism.Include::new);
            case "exists" -> requiredDomain(rest).map(Mechanism.Exists::new);
            case "ptr" -> rest.isEmpty() ? Optional.of(new Mechanism.Ptr(Optional.empty()))
                    : requiredDomain(rest).map(d -> new Mechanism.Ptr(Optional.of(d)));
            case "a", "mx" -> addressMechanism(name, rest);
            case "ip4" -> rest.startsWith(":") ? ip4(rest.substring(1)).map(Mechanism.Ip::new) : Optional.empty();
            case "ip6" -> rest.startsWith(":") ? ip6(rest.substring(1)).map(Mechanism.Ip::new) : Optional.empty();
            default -> Optional.empty();
        };
    }

    private static Optional<MacroString> requiredDomain(String rest) {
        return rest.startsWith(":") ? domainSpec(rest.substring(1)) : Optional.empty();
    }

    private static Optional<Mechanism> addressMechanism(String name, String rest) {
        Matcher m = DOMAIN_AND_CIDR.matcher(rest);
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<MacroString> domain = Optional.empty();
        if (m.group(1) != null) {
            domain = domainSpec(m.group(1).substring(1));
            if (domain.isEmpty()) {
                return Optional.empty();
            }
        }
        int cidr4 = cidr(m.group(2), 32);
        int cidr6 = cidr(m.group(3), 128);
        if (cidr4 < 0 || cidr6 < 0) {
            return Optional.empty();
        }
        return Optional.of(name.equals("a") ? new Mechanism.A(domain, cidr4, cidr6)
                : new Mechanism.Mx(domain, cidr4, cidr6));
    }

    /** A CIDR length up to {@code max}, {@code max} when absent, -1 when malformed (leading zeros too). */
    private static int cidr(String digits, int max) {
        if (digits == null) {
            return max;
        }
        if (!CIDR.matcher(digits).matches() || digits.length() > 3) {
            return -1;
        }
        int n = Integer.parseInt(digits);
        return n <= max ? n : -1;
    }

    /** RFC 7208 §7.1: domain-spec = macro-string domain-end; the end is a macro or "." toplabel ["."]. */
    static Optional<MacroString> domainSpec(String text) {
        Optional<MacroString> spec = MacroString.parse(text);
        if (spec.isEmpty() || spec.get().parts().isEmpty()) {
            return Optional.empty();
        }
        if (spec.get().endsWithMacro() || DOMAIN_END.matcher(spec.get().literalTail()).matches()) {
            return spec;
        }
        return Optional.empty();
    }

    /** ip4-network [ ip4-cidr-length ]: dotted quad without leading zeros (RFC 7208 §5.6). */
    private static Optional<Network> ip4(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        int prefix = slash < 0 ? 32 : cidr(text.substring(slash + 1), 32);
        String[] octets = address.split("\\.", -1);
        if (prefix < 0 || octets.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!DEC_OCTET.matcher(octets[i]).matches() || Integer.parseInt(octets[i]) > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) Integer.parseInt(octets[i]);
        }
        return Optional.of(new Network(bytes, prefix));
    }

    /** ip6-network [ ip6-cidr-length ] (RFC 4291 §2.2 text form). */
    private static Optional<Network> ip6(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        int prefix = slash < 0 ? 128 : cidr(text.substring(slash + 1), 128);
        if (prefix < 0) {
            return Optional.empty();
        }
        return ip6Literal(address).map(bytes -> new Network(bytes, prefix));
    }

    /** The 16 bytes of an IPv6 literal, never a DNS query: only hex, ':' and '.' reach the parser. */
    static Optional<byte[]> ip6Literal(String text) {
        if (!text.contains(":") || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            InetAddress parsed = InetAddress.getByName(text);
            byte[] b = parsed.getAddress();
            if (parsed instanceof Inet4Address) { // Java folds ::ffff:a.b.c.d into IPv4; keep the IPv6 form
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return Optional.of(mapped);
            }
            return Optional.of(b);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
