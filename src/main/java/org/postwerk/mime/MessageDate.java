package org.postwerk.mime;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/**
 * The Date header field (RFC 5322 §3.3) parsed for SENTBEFORE/SENTON/SENTSINCE (RFC 9051 §6.4.4) and SORT DATE
 * (RFC 5256), with the obsolete forms of RFC 5322 §4.3: two- and three-digit years, the names UT/GMT and the
 * North American zones, military zones (which mean -0000, "unknown"), seconds left out, comments and extra
 * white space, a day name without its comma. Not a date: null (the caller falls back to the internal date, as
 * RFC 5256 §2.2 says for SORT).
 */
public final class MessageDate {
    private static final Map<String, Integer> ZONES = Map.ofEntries(Map.entry("UT", 0), Map.entry("GMT", 0),
            Map.entry("EST", -5 * 60), Map.entry("EDT", -4 * 60), Map.entry("CST", -6 * 60),
            Map.entry("CDT", -5 * 60), Map.entry("MST", -7 * 60), Map.entry("MDT", -6 * 60),
            Map.entry("PST", -8 * 60), Map.entry("PDT", -7 * 60));
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private MessageDate() {
    }

    /** The date with its own offset, or null. */
    public static OffsetDateTime parse(String value) {
        if (value == null) {
            return null;
        }
        String s = value.replaceAll("\\([^)]*\\)", " ").replace(',', ' ').strip();
        String[] t = s.split("\\s+");
        int i = 0;
        if (t.length > 0 && !t[0].isEmpty() && Character.isLetter(t[0].charAt(0))) {
            i++; // day of week (RFC 5322 §3.3, optional and not checked)
        }
        if (t.length - i < 4) {
            return null;
        }
        try {
            int day = Integer.parseInt(t[i]);
            int month = month(t[i + 1]);
            int year = year(t[i + 2]);
            String[] hms = t[i + 3].split(":");
            if (month < 0 || year < 0 || hms.length < 2 || hms.length > 3) {
                return null;
            }
            int hour = Integer.parseInt(hms[0]);
            int minute = Integer.parseInt(hms[1]);
            int second = hms.length == 3 ? Integer.parseInt(hms[2]) : 0;
            int offset = t.length > i + 4 ? zone(t[i + 4]) : 0;
            // RFC 5322 §3.3 allows second 60 (a leap second); java.time does not.
            return OffsetDateTime.of(year, month, day, hour, minute, Math.min(second, 59), 0,
                    ZoneOffset.ofTotalSeconds(offset * 60));
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    /** The calendar date in the message's own zone (RFC 9051 §6.4.4: time and timezone disregarded). */
    public static LocalDate sentDate(String value) {
        OffsetDateTime d = parse(value);
        return d == null ? null : d.toLocalDate();
    }

    private static int month(String name) {
        if (name.length() < 3) {
            return -1;
        }
        int at = MONTHS.indexOf(name.substring(0, 3).toLowerCase(Locale.ROOT));
        return at < 0 || at % 3 != 0 ? -1 : at / 3 + 1;
    }

    /** RFC 5322 §4.3: a two-digit year below 50 is 20xx, otherwise 19xx; a three-digit year adds 1900. */
    private static int year(String digits) {
        int y = Integer.parseInt(digits);
        if (digits.length() == 2) {
            return y < 50 ? 2000 + y : 1900 + y;
        }
        if (digits.length() == 3) {
            return 1900 + y;
        }
        return digits.length() == 4 ? y : -1;
    }

    /** Minutes east of UTC. */
    private static int zone(String z) {
        if (z.length() == 5 && (z.charAt(0) == '+' || z.charAt(0) == '-')) {
            int hhmm = Integer.parseInt(z.substring(1));
            int minutes = hhmm / 100 * 60 + hhmm % 100;
            if (hhmm % 100 > 59) {
                throw new NumberFormatException(z);
            }
            return z.charAt(0) == '-' ? -minutes : minutes;
        }
        // Military and unknown zones: -0000, "no information" (RFC 5322 §4.3).
        return ZONES.getOrDefault(z.toUpperCase(Locale.ROOT), 0);
    }
}
