package org.postwerk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The test parser accepts the format and refuses what breaks it: otherwise a /metrics test proves nothing. */
class PrometheusTextTest {
    @Test
    void readsCountersGaugesAndHistograms() {
        PrometheusText p = PrometheusText.parse("""
                # HELP a_total Things.
                # TYPE a_total counter
                a_total{x="1",y="q\\"uote\\\\"} 3.0
                a_total{x="2"} 4
                # TYPE g gauge
                g NaN
                # TYPE h_seconds histogram
                h_seconds_bucket{le="0.1"} 1
                h_seconds_bucket{le="+Inf"} 2
                h_seconds_count 2
                h_seconds_sum 0.5
                """);

        assertThat(p.value("a_total", Map.of("x", "1", "y", "q\"uote\\"))).contains(3.0);
        assertThat(p.sum("a_total", Map.of())).isEqualTo(7.0);
        assertThat(p.type("h_seconds")).contains("histogram");
        assertThat(p.value("h_seconds_count", Map.of())).contains(2.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a 1\n",                                                // no TYPE
            "# TYPE a counter\na 1\na 2\n",                         // series twice
            "# TYPE a counter\nb 1\n",                              // outside its family
            "# TYPE a counter\na{x=\"1} 1\n",                       // unterminated label value
            "# TYPE a counter\na{x=\"\\t\"} 1\n",                   // bad escape
            "# TYPE a counter\na{1x=\"1\"} 1\n",                    // bad label name
            "# TYPE a counter\na one\n",                            // bad value
            "# TYPE a counter\na 1",                                // no final line feed
            "# TYPE a counter\n# TYPE a gauge\n",                   // TYPE twice
            "# TYPE a histogram\na_bucket{le=\"1\"} 2\na_bucket{le=\"+Inf\"} 1\na_count 1\n", // not cumulative
            "# TYPE a histogram\na_bucket{le=\"1\"} 1\na_count 1\n",                        // no +Inf
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\na_count 2\n",                     // +Inf != count
    })
    void refusesBrokenText(String text) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
