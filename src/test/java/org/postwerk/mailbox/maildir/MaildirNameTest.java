package org.postwerk.mailbox.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.postwerk.mailbox.Flag;

class MaildirNameTest {
    @Test
    void parsesAndFormatsDovecotNames() {
        MaildirName n = MaildirName.parse("1700000000.M1P2Q3.host,S=1200,W=1230:2,STa");
        assertThat(n.base()).isEqualTo("1700000000.M1P2Q3.host");
        assertThat(n.size()).isEqualTo(1200);
        assertThat(n.vsize()).isEqualTo(1230);
        assertThat(n.flags()).containsExactlyInAnyOrder(Flag.SEEN, Flag.DELETED);
        assertThat(n.keywordLetters()).isEqualTo("a");
        assertThat(n.inCur()).isEqualTo("1700000000.M1P2Q3.host,S=1200,W=1230:2,STa");
        assertThat(n.withFlags(EnumSet.of(Flag.FLAGGED, Flag.DRAFT), "").inCur())
                .isEqualTo("1700000000.M1P2Q3.host,S=1200,W=1230:2,DF");
        assertThat(n.inNew()).isEqualTo("1700000000.M1P2Q3.host,S=1200,W=1230");
    }

    @Test
    void namesWithoutSizesOrInfo() {
        MaildirName n = MaildirName.parse("12345.abc");
        assertThat(n.base()).isEqualTo("12345.abc");
        assertThat(n.size()).isEqualTo(-1);
        assertThat(n.flags()).isEmpty();
        assertThat(n.inCur()).isEqualTo("12345.abc:2,");
    }
}
