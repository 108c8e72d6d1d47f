package org.postwerk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations and sizes as operators write them. */
class ValueSyntaxTest {
    @ParameterizedTest
    @CsvSource({
            "30s, PT30S", "5m, PT5M", "2h, PT2H", "5d, PT120H", "250ms, PT0.25S", "1h30m, PT1H30M", "' 5m ', PT5M",
            "0s, PT0S", "PT5M, PT5M", "P5D, PT120H", "pt1m, PT1M", "1d2h3m4s5ms, PT26H3M4.005S", "5M, PT5M"})
    void durations(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "m", "5 m", "5x", "-5m", "5m3", "PT", "P", "1.5h", "5mm", "h5", "s30"})
    void badDurations(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a duration: \"" + text + "\"");
    }

    @ParameterizedTest
    @CsvSource({"PT5M, 5m", "PT1H30M, 1h30m", "PT120H, 5d", "PT0.25S, 250ms", "PT0S, 0s", "PT26H3M4.005S, 1d2h3m4s5ms"})
    void durationsFormatBackToWhatParses(String iso, String text) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @CsvSource({
            "1234, 1234", "0, 0", "10B, 10", "512KiB, 524288", "10MB, 10000000", "50MiB, 52428800", "1GiB, 1073741824",
            "2GB, 2000000000", "10 MB, 10000000", "10mb, 10000000", "1kB, 1000", "1KB, 1000", "1TiB, 1099511627776"})
    void sizes(String text, long bytes) {
        assertThat(Sizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "1.5MB", "-1", "10XB", "10 parsecs", "10  MB", "1M", "999999999999999TiB"})
    void badSizes(String text) {
        assertThatThrownBy(() -> Sizes.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + text + "\"");
    }

    @ParameterizedTest
    @CsvSource({"52428800, 50MiB", "1024, 1KiB", "1000, 1000", "10000000, 10000000", "1073741824, 1GiB"})
    void sizesFormat(long bytes, String text) {
        assertThat(Sizes.format(bytes)).isEqualTo(text);
    }
}
