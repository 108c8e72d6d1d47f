package org.postwerk.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationsTest {
    private static FolderState folder(String name, int messages) throws Exception {
        FolderState f = new FolderState(name, Snapshot.empty(name.hashCode() & 0xffff), ChangeLog.NONE, Mirror.NONE);
        for (int i = 0; i < messages; i++) {
            f.commit((tip, m) -> Operations.add(tip, m, List.of(new NewMessage("m" + tip.uidNext(), Flags.NONE, 5, 10))));
        }
        return f;
    }

    @Test
    void storeChangesOnlyWhatDiffersAndHonoursUnchangedSince() throws Exception {
        FolderState f = folder("INBOX", 3);
        Operations.Stored s = f.commit((tip, m) -> Operations.store(tip, m, new long[] {1, 2}, StoreMode.ADD,
                Flags.of(Flag.SEEN), -1));
        assertThat(s.changed()).containsExactly(1, 2);
        long before = f.current().highestModseq();
        Operations.Stored again = f.commit((tip, m) -> Operations.store(tip, m, new long[] {1, 2}, StoreMode.ADD,
                Flags.of(Flag.SEEN), -1));
        assertThat(again.changed()).isEmpty();
        assertThat(f.current().highestModseq()).isEqualTo(before); // nothing changed, no new MODSEQ

        long modseqOf3 = f.current().modseq(2);
        Operations.Stored cond = f.commit((tip, m) -> Operations.store(tip, m, new long[] {1, 3}, StoreMode.ADD,
                Flags.of(Flag.FLAGGED), modseqOf3));
        assertThat(cond.changed()).containsExactly(3);
        assertThat(cond.modified()).containsExactly(1); // changed since the client's MODSEQ: MODIFIED
    }

    @Test
    void keywordsAreCaseInsensitiveAndBounded() throws Exception {
        FolderState f = folder("INBOX", 1);
        f.commit((tip, m) -> Operations.store(tip, m, new long[] {1}, StoreMode.ADD,
                new Flags(Set.of(), Set.of("$Junk")), -1));
        Operations.Stored s = f.commit((tip, m) -> Operations.store(tip, m, new long[] {1}, StoreMode.ADD,
                new Flags(Set.of(), Set.of("$JUNK")), -1));
        assertThat(s.changed()).isEmpty();
        assertThat(f.current().keywords()).containsExactly("$Junk");
        for (int i = 1; i < Snapshot.MAX_KEYWORDS; i++) {
            int k = i;
            f.commit((tip, m) -> Operations.store(tip, m, new long[] {1}, StoreMode.ADD,
                    new Flags(Set.of(), Set.of("k" + k)), -1));
        }
        assertThat(f.current().canHold(new Flags(Set.of(), Set.of("one-more")))).isFalse();
        assertThatThrownBy(() -> f.commit((tip, m) -> Operations.store(tip, m, new long[] {1}, StoreMode.ADD,
                new Flags(Set.of(), Set.of("one-more")), -1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expungeRemovesDeletedMessagesOrOnlyTheGivenUids() throws Exception {
        FolderState f = folder("INBOX", 4);
        f.commit((tip, m) -> Operations.store(tip, m, new long[] {1, 2, 4}, StoreMode.ADD, Flags.of(Flag.DELETED), -1));
        long[] some = f.commit((tip, m) -> Operations.expunge(tip, m, new long[] {2, 3}));
        assertThat(some).containsExactly(2);
        long[] rest = f.commit((tip, m) -> Operations.expunge(tip, m, null));
        assertThat(rest).containsExactly(1, 4);
        assertThat(f.current().count()).isEqualTo(1);
        assertThat(f.current().uid(0)).isEqualTo(3);
        assertThat(f.current().uidNext()).isEqualTo(5); // UIDs are never reused
    }

    @Test
    void moveGivesTheTargetsNextUidsAndExpungesTheSourceInOneRecord() throws Exception {
        FolderState src = folder("INBOX", 3);
        FolderState dst = folder("Archive", 2);
        src.commit((tip, m) -> Operations.store(tip, m, new long[] {3}, StoreMode.ADD, Flags.of(Flag.FLAGGED), -1));
        Operations.Copied c = FolderState.commit(ChangeLog.NONE, List.of(src, dst), (tips, next) ->
                Operations.copy("INBOX", tips.get(0), tips.get(1), next.get(0), next.get(1), new long[] {1, 3, 9},
                        l -> l + ".moved", true));
        assertThat(c.from()).containsExactly(1, 3);
        assertThat(c.to()).containsExactly(3, 4);
        assertThat(c.uidValidity()).isEqualTo(dst.current().uidValidity());
        assertThat(src.current().count()).isEqualTo(1);
        assertThat(dst.current().count()).isEqualTo(4);
        assertThat(dst.current().flags(3).system()).containsExactly(Flag.FLAGGED);
        assertThat(dst.current().locator(3)).isEqualTo("m3.moved");
    }
}
