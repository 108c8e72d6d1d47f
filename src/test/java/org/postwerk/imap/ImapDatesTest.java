package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImapDatesTest {
    @Test
    void searchDates() {
        assertThat(ImapDates.parseDate("1-Feb-1994")).contains(LocalDate.of(1994, 2, 1));
        assertThat(ImapDates.parseDate("01-feb-1994")).contains(LocalDate.of(1994, 2, 1));
        assertThat(ImapDates.parseDate("29-FEB-2024")).contains(LocalDate.of(2024, 2, 29));
    }

    @ParameterizedTest
    @ValueSource(strings = {"32-Jan-2000", "1-Foo-2000", "1-Feb-94", "1 Feb 1994", "123-Feb-1994", "29-Feb-2023",
            "0-Jan-2000", "-Jan-2000", "1-Feb-19944", "a1-Feb-1994", ""})
    void invalidSearchDates(String s) {
        assertThat(ImapDates.parseDate(s)).isEmpty();
    }

    @Test
    void dateTimes() {
        OffsetDateTime expected = OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHours(-7));
        assertThat(ImapDates.parseDateTime("17-Jul-1996 02:44:25 -0700")).contains(expected);
        assertThat(ImapDates.parseDateTime(" 7-Jul-1996 02:44:25 +0000"))
                .contains(OffsetDateTime.of(1996, 7, 7, 2, 44, 25, 0, ZoneOffset.UTC));
        assertThat(ImapDates.parseDateTime("07-Jul-1996 02:44:25 +0530")).map(OffsetDateTime::getOffset)
                .contains(ZoneOffset.ofHoursMinutes(5, 30));
        assertThat(ImapDates.formatDateTime(expected)).isEqualTo("17-Jul-1996 02:44:25 -0700");
        assertThat(ImapDates.formatDateTime(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHoursMinutes(5, 30))))
                .isEqualTo("02-Jan-2024 03:04:05 +0530");
    }

    @ParameterizedTest
    @ValueSource(strings = {"17-Jul-1996 24:00:00 +0000", "17-Jul-1996 02:44:25 0700", "17-Jul-1996 02:44 -0700",
            "17-Jul-1996 02:44:25 -07:00", "17-Jul-1996 02:44:25 +9999", "17-Jul-1996  02:44:25 +0000",
            "17-Jul-1996", "17-Jul-1996 02:44:25 +0000 ", "17-Jul-1996 02:60:25 +0000"})
    void invalidDateTimes(String s) {
        assertThat(ImapDates.parseDateTime(s)).isEmpty();
    }
}
