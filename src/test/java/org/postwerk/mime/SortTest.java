package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SortTest {
    private static MessageSummary m(long n, long size, long arrival, String date, String subject, String from,
                                    String to, String cc) {
        return MessageSummary.of(n, size, Instant.ofEpochSecond(arrival),
                new Envelope(date, subject, from, null, null, to, cc, null, null, null, null));
    }

    private final List<MessageSummary> mailbox = List.of(
            m(1, 300, 30, "2 Jan 2020 10:00 +0000", "Re: beta", "\"Zed\" <alice@x>", "bob@x", null),
            m(2, 100, 10, "1 Jan 2020 10:00 +0000", "alpha", "=?utf-8?q?=C3=84rger?= <carol@x>", "Al <zz@x>", "c@x"),
            m(3, 200, 20, "bad date", "[list] Beta", "bob@x", "amy@x", "b@x"),
            m(4, 100, 5, "1 Jan 2020 11:00 +0100", "gamma", "alice@x", null, null));

    private static List<Long> numbers(List<MessageSummary> sorted) {
        return sorted.stream().map(MessageSummary::number).toList();
    }

    private List<Long> sort(Sort.Criterion... criteria) {
        return numbers(Sort.sort(mailbox, List.of(criteria)));
    }

    private static Sort.Criterion key(Sort.Key k) {
        return new Sort.Criterion(k, false);
    }

    @Test
    void eachKey() {
        assertThat(sort(key(Sort.Key.ARRIVAL))).containsExactly(4L, 2L, 3L, 1L);
        // Message 3's Date is broken: its internal date (1970) is used (RFC 5256 §2.2); 2 and 4 were sent at
        // the same instant (10:00 UTC) and stay in mailbox order.
        assertThat(sort(key(Sort.Key.DATE))).containsExactly(3L, 2L, 4L, 1L);
        assertThat(sort(key(Sort.Key.SIZE))).containsExactly(2L, 4L, 3L, 1L);
        assertThat(sort(key(Sort.Key.SUBJECT))).containsExactly(2L, 1L, 3L, 4L);
        assertThat(sort(key(Sort.Key.FROM))).containsExactly(1L, 4L, 3L, 2L);
        assertThat(sort(key(Sort.Key.TO))).containsExactly(4L, 3L, 1L, 2L);
        assertThat(sort(key(Sort.Key.CC))).containsExactly(1L, 4L, 3L, 2L);
        assertThat(sort(key(Sort.Key.DISPLAYFROM))).containsExactly(4L, 2L, 3L, 1L);
        assertThat(sort(key(Sort.Key.DISPLAYTO))).containsExactly(4L, 2L, 3L, 1L);
    }

    /** interop/imap-dovecot: two deliveries 400 ms apart without Date: are equal for DATE, also REVERSE. */
    @Test
    void internalDatesCountToTheSecond() {
        List<MessageSummary> two = List.of(
                MessageSummary.of(1, 10, Instant.ofEpochMilli(10_100), new Envelope(null, "a", "x@y", null, null, null,
                        null, null, null, null, null)),
                MessageSummary.of(2, 10, Instant.ofEpochMilli(10_500), new Envelope(null, "b", "x@y", null, null, null,
                        null, null, null, null, null)));
        assertThat(numbers(Sort.sort(two, List.of(new Sort.Criterion(Sort.Key.DATE, true))))).containsExactly(1L, 2L);
        assertThat(numbers(Sort.sort(two, List.of(new Sort.Criterion(Sort.Key.ARRIVAL, true))))).containsExactly(1L, 2L);
    }

    /** interop/imap-dovecot: a group is the first address of its field; its name is the addr-mailbox. */
    @Test
    void aGroupSortsByItsName() {
        List<MessageSummary> two = List.of(m(1, 1, 1, null, "a", "x@y", null, "zed@x"),
                m(2, 1, 2, null, "b", "x@y", null, "undisclosed-recipients:;"),
                m(3, 1, 3, null, "c", "x@y", null, "Team: amy@x, bob@x;"));
        assertThat(sort(Sort.Key.CC, two)).containsExactly(3L, 2L, 1L);
    }

    private static List<Long> sort(Sort.Key key, List<MessageSummary> messages) {
        return numbers(Sort.sort(messages, List.of(new Sort.Criterion(key, false))));
    }

    @Test
    void reverseAndSecondaryKeysAndTiesInMailboxOrder() {
        assertThat(sort(new Sort.Criterion(Sort.Key.SIZE, true))).containsExactly(1L, 3L, 2L, 4L);
        assertThat(sort(key(Sort.Key.SIZE), new Sort.Criterion(Sort.Key.ARRIVAL, true))).containsExactly(2L, 4L, 3L, 1L);
        assertThat(sort(key(Sort.Key.SUBJECT), key(Sort.Key.SIZE))).containsExactly(2L, 3L, 1L, 4L);
    }
}
