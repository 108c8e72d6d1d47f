package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MessageDateTest {
    @Test
    void rfc5322DateTime() {
        assertThat(MessageDate.parse("Tue, 01 Jul 2003 10:52:37 +0200"))
                .isEqualTo(OffsetDateTime.of(2003, 7, 1, 10, 52, 37, 0, ZoneOffset.ofHours(2)));
        assertThat(MessageDate.parse("Mon, 7 Feb 1994 21:52:25 -0800 (PST)"))
                .isEqualTo(OffsetDateTime.of(1994, 2, 7, 21, 52, 25, 0, ZoneOffset.ofHours(-8)));
    }

    @Test
    void obsoleteForms() {
        // RFC 5322 §4.3: two-digit year, named zone, no seconds, no day name, odd white space and comments.
        assertThat(MessageDate.parse("9 Mar 22 15:00 EST"))
                .isEqualTo(OffsetDateTime.of(2022, 3, 9, 15, 0, 0, 0, ZoneOffset.ofHours(-5)));
        assertThat(MessageDate.parse("Fri,  3 Jan 99 1:02:03 GMT").getYear()).isEqualTo(1999);
        assertThat(MessageDate.parse("1 jan 101 00:00 UT").getYear()).isEqualTo(2001);
        assertThat(MessageDate.parse("Sun 4 Apr 2021 10:00:60 (comment) A").getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(MessageDate.parse("4 April 2021 10:00 PDT").getOffset()).isEqualTo(ZoneOffset.ofHours(-7));
        assertThat(MessageDate.parse("4 Apr 2021 10:00")).isNotNull();
    }

    @Test
    void notADate() {
        assertThat(MessageDate.parse("not a date at all")).isNull();
        assertThat(MessageDate.parse("31 Feb 2021 10:00 +0000")).isNull();
        assertThat(MessageDate.parse("1 Foo 2021 10:00 +0000")).isNull();
        assertThat(MessageDate.parse("1 Jan 2021 10:00 +0099")).isNull();
        assertThat(MessageDate.parse(null)).isNull();
    }

    @Test
    void sentDateIsTheDateInTheMessagesOwnZone() {
        // RFC 9051 §6.4.4 SENTON: 23:30 at -0500 is still the 1st, although it is the 2nd in UTC.
        assertThat(MessageDate.sentDate("1 Mar 2022 23:30 -0500")).isEqualTo(LocalDate.of(2022, 3, 1));
    }
}
