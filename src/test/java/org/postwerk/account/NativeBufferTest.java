package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The password hash's memory is freed when the hash is done, not whenever the collector runs. */
class NativeBufferTest {
    @Test
    void closingFreesTheMemoryAndTheBufferCannotBeUsedAfter() {
        NativeBuffer b = new NativeBuffer(19 * 1024 * 1024);
        assertThat(b.buffer().isDirect()).isTrue();
        assertThat(b.buffer().capacity()).isEqualTo(19 * 1024 * 1024);
        b.buffer().putLong(0, 42);
        b.close();
        // A freed arena's buffer throws rather than touch freed memory (JDK 22+; the build runs on 25).
        assertThatThrownBy(() -> b.buffer().getLong(0)).isInstanceOf(IllegalStateException.class);
    }
}
