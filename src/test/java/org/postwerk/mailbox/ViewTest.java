package org.postwerk.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ViewTest {
    @Test
    void reportsExpungesThenExistsThenFlagsInTheNewNumbering() throws Exception {
        FolderState f = new FolderState("INBOX", Snapshot.empty(7), ChangeLog.NONE, Mirror.NONE);
        f.commit((tip, m) -> FolderStateTest.append(tip, m, "a", "b", "c", "d"));
        View v = new View(f);
        assertThat(v.seen().count()).isEqualTo(4);
        f.commit((tip, m) -> FolderState.Plan.of(new Change.Expunged(m, new long[] {2, 3}, List.of("b", "c")), null));
        f.commit((tip, m) -> FolderStateTest.append(tip, m, "e"));
        FolderStateTest.add(f, Flags.of(Flag.SEEN)); // message UID 1

        assertThat(v.sync(false).isEmpty()).isTrue(); // an expunge may not be sent now: nothing moves
        assertThat(v.seen().count()).isEqualTo(4);

        View.Updates u = v.sync(true);
        assertThat(u.expungedUids()).containsExactly(2, 3);
        assertThat(u.expungedSeqs()).containsExactly(2, 3);
        assertThat(u.existsChanged()).isTrue();
        assertThat(u.exists()).isEqualTo(3);
        assertThat(u.flagsChanged()).containsExactly(0);
        assertThat(v.sync(true).isEmpty()).isTrue();
    }

    @Test
    void recentBelongsToTheFirstSessionThatSawTheMessage() throws Exception {
        FolderState f = new FolderState("INBOX", Snapshot.empty(7), ChangeLog.NONE, Mirror.NONE);
        View first = new View(f);
        View second = new View(f);
        f.commit((tip, m) -> FolderStateTest.append(tip, m, "a"));
        first.sync(true);
        second.sync(true);
        assertThat(first.isRecent(1)).isTrue();
        assertThat(first.recentCount()).isEqualTo(1);
        assertThat(second.isRecent(1)).isFalse();
        View later = new View(f);
        assertThat(later.recentCount()).isZero();
    }

    @Test
    void idleSessionsShareOneSnapshot() throws Exception {
        FolderState f = new FolderState("INBOX", Snapshot.empty(7), ChangeLog.NONE, Mirror.NONE);
        f.commit((tip, m) -> FolderStateTest.append(tip, m, "a", "b"));
        assertThat(new View(f).seen()).isSameAs(new View(f).seen());
    }
}
