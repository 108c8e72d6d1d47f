package org.postwerk.auth.spf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.postwerk.testkit.ZoneResolver;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Turns a scenario's {@code zonedata} from the openspf YAML suite into a {@link ZoneResolver}, following the
 * suite's driver conventions: an SPF-type record is served as TXT when the name lists no TXT entry at all
 * ("TXT: NONE" suppresses that), and a TIMEOUT entry makes every query time out except for types listed
 * before it. Strings with \x escapes stand for raw bytes, as in the suite's Python driver.
 */
final class SuiteZone {
    private static final long TTL = 300;

    private SuiteZone() {}

    /** Where the records go: {@link ZoneResolver} or {@link org.postwerk.testkit.TestDnsServer}. */
    record Target(Consumer<Record> add, ObjIntConsumer<String> timeout) {}

    static ZoneResolver load(Map<String, List<Object>> zonedata) throws Exception {
        ZoneResolver zone = new ZoneResolver();
        load(zonedata, new Target(zone::add, zone::timeout));
        return zone;
    }

    static void load(Map<String, List<Object>> zonedata, Target zone) throws Exception {
        for (Map.Entry<String, List<Object>> e : zonedata.entrySet()) {
            loadName(zone, e.getKey(), e.getValue());
        }
    }

    @SuppressWarnings("unchecked")
    private static void loadName(Target zone, String owner, List<Object> entries) throws Exception {
        Name name = Name.fromString(owner + ".");
        boolean listsTxt = entries.stream().anyMatch(e -> e instanceof Map<?, ?> m && m.containsKey("TXT"));
        Set<Integer> answeredTypes = new HashSet<>();
        List<Record> generated = new ArrayList<>();
        for (Object entry : entries) {
            if ("TIMEOUT".equals(entry)) {
                for (int type : new int[] {Type.TXT, Type.A, Type.AAAA, Type.MX, Type.PTR, Type.CNAME}) {
                    if (!answeredTypes.contains(type)) {
                        zone.timeout().accept(owner, type);
                    }
                }
                continue;
            }
            Map.Entry<String, Object> rr = ((Map<String, Object>) entry).entrySet().iterator().next();
            if ("NONE".equals(rr.getValue())) {
                continue;
            }
            if (rr.getKey().equals("SPF")) {
                if (!listsTxt) {
                    generated.add(txt(name, rr.getValue())); // the driver's "SPF doubles as TXT" rule
                }
                continue; // type 99 is not used by RFC 7208 verifiers
            }
            Record record = record(name, rr.getKey(), rr.getValue());
            answeredTypes.add(record.getType());
            zone.add().accept(record);
        }
        generated.forEach(zone.add());
    }

    @SuppressWarnings("unchecked")
    private static Record record(Name name, String type, Object value) throws Exception {
        return switch (type) {
            case "A" -> new ARecord(name, DClass.IN, TTL, Address.getByAddress((String) value));
            case "AAAA" -> new AAAARecord(name, DClass.IN, TTL, Address.getByAddress((String) value));
            case "MX" -> {
                List<Object> mx = (List<Object>) value;
                yield new MXRecord(name, DClass.IN, TTL, (Integer) mx.get(0), absolute((String) mx.get(1)));
            }
            case "PTR" -> new PTRRecord(name, DClass.IN, TTL, absolute((String) value));
            case "CNAME" -> new CNAMERecord(name, DClass.IN, TTL, absolute((String) value));
            case "TXT" -> txt(name, value);
            default -> throw new IllegalArgumentException("record type not in the suite driver: " + type);
        };
    }

    private static Name absolute(String host) throws Exception {
        return Name.fromString(host.endsWith(".") ? host : host + ".");
    }

    /** A TXT record from one string or a list of character-strings, each as the raw bytes it stands for. */
    @SuppressWarnings("unchecked")
    private static TXTRecord txt(Name name, Object value) {
        List<String> strings = value instanceof List<?> l ? (List<String>) l : List.of((String) value);
        List<String> escaped = new ArrayList<>();
        for (String s : strings) {
            byte[] bytes = bytes(s);
            for (int from = 0; from < bytes.length || from == 0 && bytes.length == 0; from += 255) {
                escaped.add(escape(bytes, from, Math.min(bytes.length, from + 255)));
                if (bytes.length == 0) {
                    break;
                }
            }
        }
        return new TXTRecord(name, DClass.IN, TTL, escaped);
    }

    /** Characters up to U+00FF are single bytes (YAML \x escapes); anything above is UTF-8. */
    private static byte[] bytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.codePoints().forEach(cp -> {
            if (cp <= 0xff) {
                out.write(cp);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }

    /** dnsjava's text form of a character-string: backslash escapes for quotes, backslashes and non-printables. */
    private static String escape(byte[] bytes, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (b == '"' || b == '\\') {
                out.append('\\').append((char) b);
            } else if (b < 0x20 || b > 0x7e) {
                out.append(String.format("\\%03d", b));
            } else {
                out.append((char) b);
            }
        }
        return out.toString();
    }
}
