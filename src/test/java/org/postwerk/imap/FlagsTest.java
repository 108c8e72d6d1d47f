package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlagsTest {
    @Test
    void flagsAreCaseInsensitiveAndCasePreserving() {
        Flags f = Flags.of("\\seen", "$junk", "$Junk", "\\FLAGGED");
        assertThat(f.names()).containsExactly("\\Flagged", "\\Seen", "$junk");
        assertThat(f).isEqualTo(Flags.of("\\Seen", "\\Flagged", "$JUNK"));
        assertThat(f.has("$JUNK")).isTrue();
        assertThat(f.has("\\seen")).isTrue();
        assertThat(f.has(Flags.SystemFlag.DELETED)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\Recent", "\\*", "\\Foo", "a b", "", "x]", "(", "\\"})
    void flagsClientsCannotSetAreRefused(String name) {
        assertThat(Flags.of(List.of(name))).isEmpty();
    }

    @Test
    void storeActionsApply() {
        Flags current = Flags.of("\\Seen", "$Work");
        Flags change = Flags.of("\\Deleted", "$work");
        assertThat(new StoreAction(StoreAction.Mode.ADD, change, false).apply(current))
                .isEqualTo(Flags.of("\\Seen", "\\Deleted", "$Work"));
        assertThat(new StoreAction(StoreAction.Mode.REMOVE, change, false).apply(current))
                .isEqualTo(Flags.of("\\Seen"));
        assertThat(new StoreAction(StoreAction.Mode.REPLACE, change, true).apply(current)).isEqualTo(change);
        assertThat(new StoreAction(StoreAction.Mode.ADD, change, true)).hasToString("+FLAGS.SILENT (\\Deleted $work)");
    }
}
