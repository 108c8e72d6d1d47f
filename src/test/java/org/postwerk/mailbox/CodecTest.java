package org.postwerk.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CodecTest {
    @Test
    void indexRoundTrip() throws Exception {
        FolderState f = new FolderState("INBOX", Snapshot.empty(99), ChangeLog.NONE, Mirror.NONE);
        for (int i = 0; i < 5; i++) {
            f.commit((tip, m) -> Operations.add(tip, m, List.of(new NewMessage("base" + tip.uidNext(), Flags.NONE, 7, 11))));
        }
        f.commit((tip, m) -> Operations.store(tip, m, new long[] {2, 3}, StoreMode.ADD,
                new Flags(Set.of(Flag.DELETED, Flag.SEEN), Set.of("$Label1")), -1));
        f.commit((tip, m) -> Operations.expunge(tip, m, new long[] {3}));
        Snapshot s = f.current();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexFile.write(s, out);
        Snapshot back = IndexFile.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back.count()).isEqualTo(4);
        assertThat(back.uidValidity()).isEqualTo(99);
        assertThat(back.uidNext()).isEqualTo(6);
        assertThat(back.highestModseq()).isEqualTo(s.highestModseq());
        assertThat(back.flags(1)).isEqualTo(s.flags(1));
        assertThat(back.locator(2)).isEqualTo("base4");
        assertThat(back.expunged().since(0)).containsExactly(3);

        byte[] damaged = out.toByteArray();
        damaged[damaged.length / 2] ^= 1;
        assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(damaged))).isInstanceOf(IOException.class);
    }

    @Test
    void changeRoundTrip() throws Exception {
        List<ChangeLog.FolderChange> changes = List.of(
                new ChangeLog.FolderChange("d/u/Maildir", 5, new Change.Added(7, List.of(
                        new Change.Entry(3, "b1", new Flags(Set.of(Flag.SEEN), Set.of("x")), 9, 10)))),
                new ChangeLog.FolderChange("d/u/Maildir/.Sent", 6, new Change.FlagsSet(8, List.of(
                        new Change.FlagUpdate(4, "b2", Flags.NONE, Flags.of(Flag.FLAGGED))))),
                new ChangeLog.FolderChange("d/u/Maildir", 5, new Change.Expunged(9, new long[] {1, 2}, List.of("a", "b"))));
        List<ChangeLog.FolderChange> back = ChangeCodec.decode(ByteBuffer.wrap(ChangeCodec.encode(changes)));
        assertThat(back).hasSize(3);
        assertThat(back.get(0)).isEqualTo(changes.get(0));
        assertThat(back.get(1)).isEqualTo(changes.get(1));
        Change.Expunged e = (Change.Expunged) back.get(2).change();
        assertThat(e.uids()).containsExactly(1, 2);
        assertThat(e.locators()).containsExactly("a", "b");
    }
}
