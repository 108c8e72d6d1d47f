package org.postwerk.imap;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * IMAP's own date syntax (RFC 9051 §9): {@code date} for SEARCH ({@code 1-Feb-1994}) and {@code date-time}
 * for APPEND and INTERNALDATE ({@code 17-Jul-1996 02:44:25 -0700}). Month names are English and
 * case-insensitive.
 */
public final class ImapDates {
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private ImapDates() {}

    /** date-text = date-day "-" date-month "-" date-year; date-day = 1*2DIGIT. */
    public static Optional<LocalDate> parseDate(String s) {
        int dash1 = s.indexOf('-');
        int dash2 = dash1 < 0 ? -1 : s.indexOf('-', dash1 + 1);
        if (dash1 < 1 || dash1 > 2 || dash2 != dash1 + 4 || s.length() != dash2 + 5) {
            return Optional.empty();
        }
        int day = digits(s, 0, dash1);
        int month = month(s.substring(dash1 + 1, dash2));
        int year = digits(s, dash2 + 1, s.length());
        return date(year, month, day);
    }

    /**
     * date-time without its quotes: date-day-fixed ({@code " 7"} or {@code "07"}; a bare {@code "7"} is
     * accepted too) "-" month "-" year SP hh:mm:ss SP zone.
     */
    public static Optional<OffsetDateTime> parseDateTime(String s) {
        String t = s.startsWith(" ") ? s.substring(1) : s;
        int sp = t.indexOf(' ');
        if (sp < 0 || t.length() != sp + 15 || t.charAt(sp + 9) != ' ') {
            return Optional.empty();
        }
        Optional<LocalDate> date = parseDate(t.substring(0, sp));
        String time = t.substring(sp + 1, sp + 9);
        String zone = t.substring(sp + 10);
        if (date.isEmpty() || time.charAt(2) != ':' || time.charAt(5) != ':'
                || zone.charAt(0) != '+' && zone.charAt(0) != '-') {
            return Optional.empty();
        }
        int hour = digits(time, 0, 2);
        int minute = digits(time, 3, 5);
        int second = digits(time, 6, 8);
        int zh = digits(zone, 1, 3);
        int zm = digits(zone, 3, 5);
        if (hour < 0 || minute < 0 || second < 0 || zh < 0 || zm < 0) {
            return Optional.empty();
        }
        int sign = zone.charAt(0) == '-' ? -1 : 1;
        try {
            ZoneOffset offset = ZoneOffset.ofHoursMinutes(sign * zh, sign * zm);
            return Optional.of(OffsetDateTime.of(date.get(), java.time.LocalTime.of(hour, minute, second), offset));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** date-time for INTERNALDATE, e.g. {@code 07-Jul-1996 02:44:25 -0700} (without quotes). */
    public static String formatDateTime(OffsetDateTime t) {
        int offsetMinutes = t.getOffset().getTotalSeconds() / 60;
        int abs = Math.abs(offsetMinutes);
        return String.format("%02d-%s-%04d %02d:%02d:%02d %s%02d%02d", t.getDayOfMonth(),
                MONTHS[t.getMonthValue() - 1], t.getYear(), t.getHour(), t.getMinute(), t.getSecond(),
                offsetMinutes < 0 ? "-" : "+", abs / 60, abs % 60);
    }

    private static Optional<LocalDate> date(int year, int month, int day) {
        if (year < 0 || month < 1 || day < 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(year, month, day));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int month(String name) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equalsIgnoreCase(name)) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The decimal number in {@code s[from, to)}, or -1 unless it is all digits. */
    private static int digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!Syntax.isDigit(c)) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
