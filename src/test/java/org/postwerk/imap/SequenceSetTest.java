package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SequenceSetTest {
    @ParameterizedTest
    @ValueSource(strings = {"1", "*", "1:3,5,7:*", "4:2", "2,4:7,9,12:*", "4294967295", "1:4294967295", "*:4"})
    void wireFormRoundTrips(String text) {
        assertThat(SequenceSet.parse(text, 100)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1:", ":1", "1,,2", ",1", "1,", "01", "4294967296", "a", "1:2:3", "1:0", "**",
            "99999999999999999999"})
    void invalidSetsAreRefused(String text) {
        assertThat(SequenceSet.parse(text, 100)).isNull();
    }

    @Test
    void theNumberOfRangesIsBounded() {
        assertThat(SequenceSet.parse("1,2,3", 3)).isNotNull();
        assertThat(SequenceSet.parse("1,2,3,4", 3)).isNull();
    }

    @ParameterizedTest(name = "{0} with max {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            4:2,1,3:7 | 10 | 1:7
            5:*       | 3  | 3
            559:*     | 100 | 100
            *         | 0  | ''
            1:*       | 0  | ''
            2:4,9     | 5  | 2:4
            *:3       | 8  | 3:8
            1,3,5,2   | 9  | 1:3,5
            """)
    void resolveReplacesStarAndNormalises(String set, long max, String expected) {
        // RFC 9051 §9: 559:* includes the last message even when 559 is beyond it.
        assertThat(SequenceSet.parse(set, 100).resolve(max)).hasToString(expected);
    }

    @Test
    void hugeRangesAreNeverMaterialised() {
        SequenceSet all = SequenceSet.parse("1:4294967295", 10);
        assertThat(all.count()).isEqualTo(4294967295L);
        assertThat(all.contains(4294967295L)).isTrue();
        assertThat(all.contains(0)).isFalse();
        PrimitiveIterator.OfLong it = all.iterator();
        assertThat(List.of(it.nextLong(), it.nextLong(), it.nextLong())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void iterationIsAscendingAndOnce() {
        SequenceSet set = SequenceSet.parse("7:5,1,2,6,9", 10);
        List<Long> numbers = new ArrayList<>();
        set.iterator().forEachRemaining((long n) -> numbers.add(n));
        assertThat(numbers).containsExactly(1L, 2L, 5L, 6L, 7L, 9L);
        assertThat(set.count()).isEqualTo(6);
        assertThat(set.contains(8)).isFalse();
        assertThat(set.contains(6)).isTrue();
        assertThat(set.highestNumber()).isEqualTo(9);
    }

    @Test
    void starMustBeResolvedFirst() {
        SequenceSet set = SequenceSet.parse("3:*", 10);
        assertThat(set.hasStar()).isTrue();
        assertThatThrownBy(() -> set.contains(4)).isInstanceOf(IllegalStateException.class);
        assertThat(set.resolve(5).contains(4)).isTrue();
    }

    @Test
    void numbersCompressIntoRanges() {
        assertThat(SequenceSet.of(5, 1, 2, 3, 9, 10, 2)).hasToString("1:3,5,9:10");
        assertThat(SequenceSet.of()).hasToString("");
        assertThat(SequenceSet.of(4).isEmpty()).isFalse();
    }
}
