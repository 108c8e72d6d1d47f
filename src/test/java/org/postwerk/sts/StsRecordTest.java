package org.postwerk.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StsRecordTest {
    @Test
    void rfcExampleAndAllowedVariants() {
        // RFC 8461 §3.1's example.
        assertThat(StsRecord.parse("v=STSv1; id=20160831085700Z;")).contains(new StsRecord("20160831085700Z"));
        assertThat(StsRecord.parse("v=STSv1;id=abc")).contains(new StsRecord("abc"));
        assertThat(StsRecord.parse("v=STSv1 ;\tid=abc ; ext_1=a:b<c>")).contains(new StsRecord("abc"));
        assertThat(StsRecord.parse("v=STSv1; id=" + "a".repeat(32))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "v=STSv1", "v=STSv1;", "v=STSv1; ", "v=STSv1; id=", "v=STSv1; id=abc-def", "v=STSv1; id=a; id=b",
            "v=STSv2; id=abc", "v=stsv1; id=abc", " v=STSv1; id=abc", "id=abc; v=STSv1", "v=STSv1; id=abc; ",
            "v=STSv1; id=abc;;", "v=STSv1; ext=1", "v=STSv1; id=abc; bad", "v=STSv1; id=abc; -x=1",
            "v=STSv1; id=abc; x=a;b", "v=STSv1; id=abc; x=a=b", "v=STSv1; id=é"})
    void malformedRecordsAreNoPolicy(String text) {
        assertThat(StsRecord.parse(text)).isEmpty();
    }

    @Test
    void id33CharactersIsTooLong() {
        assertThat(StsRecord.parse("v=STSv1; id=" + "a".repeat(33))).isEmpty();
    }

    @Test
    void discoveryNeedsExactlyOneStsRecord() {
        assertThat(StsRecord.discover(List.of("v=spf1 -all", "v=STSv1; id=1"))).contains(new StsRecord("1"));
        // RFC 8461 §3.1: two records beginning with v=STSv1 mean no policy, even if one would parse.
        assertThat(StsRecord.discover(List.of("v=STSv1; id=1", "v=STSv1; id=2"))).isEmpty();
        assertThat(StsRecord.discover(List.of("v=STSv1; id=1", "v=STSv1;"))).isEmpty();
        assertThat(StsRecord.discover(List.of("v=STSv1 id=1"))).isEqualTo(Optional.empty());
        assertThat(StsRecord.discover(List.of())).isEmpty();
    }
}
