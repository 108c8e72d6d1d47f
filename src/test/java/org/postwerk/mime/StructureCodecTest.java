package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StructureCodecTest {
    @Test
    void everyCorpusMessageRoundTrips() {
        for (String name : Corpus.NAMES) {
            MessageStructure m = Corpus.parse(name);
            byte[] bytes = StructureCodec.encode(m);
            assertThat(StructureCodec.decode(bytes)).as(name).isEqualTo(m);
        }
    }

    @Test
    void compact() {
        assertThat(StructureCodec.encode(Corpus.parse("01-simple")).length).isLessThan(300);
        assertThat(StructureCodec.encode(Corpus.parse("04-rfc822")).length).isLessThan(800);
    }

    @Test
    void otherVersionsAndDamageAreRefusedCleanly() {
        byte[] bytes = StructureCodec.encode(Corpus.parse("04-rfc822"));
        byte[] otherVersion = bytes.clone();
        otherVersion[1] = (byte) (StructureCodec.VERSION + 1);
        assertThatThrownBy(() -> StructureCodec.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class);
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> StructureCodec.decode(cut)).isInstanceOf(IllegalArgumentException.class);
        }
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] damaged = bytes.clone();
            damaged[2 + random.nextInt(damaged.length - 2)] = (byte) random.nextInt(256);
            try {
                StructureCodec.decode(damaged);
            } catch (IllegalArgumentException expected) {
                // a damaged entry is refused; the store parses the message again
            }
        }
    }
}
