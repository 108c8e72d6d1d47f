package org.postwerk.mailbox.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.NewMessage;

class FileInfoTest {
    private static NewMessage m(String locator, long time) {
        return new NewMessage(locator, Flags.NONE, time, 1);
    }

    @Test
    void newFilesGetUidsInDeliveryOrderNotInTextOrder() {
        List<NewMessage> files = new ArrayList<>(List.of(m("1000.M1000P7Q10.h,S=1", 9), m("1000.M999P7Q9.h,S=1", 9),
                m("999.M5P7Q1.h,S=1", 9), m("procmail-b", 2), m("procmail-a", 3), m("other", 9)));
        files.sort(FileInfo.DELIVERY_ORDER);
        assertThat(files).extracting(NewMessage::locator).containsExactly("procmail-b", "procmail-a",
                "999.M5P7Q1.h,S=1", "1000.M999P7Q9.h,S=1", "1000.M1000P7Q10.h,S=1", "other");
    }

    @Test
    void namesMadeInOneMillisecondSortInTheOrderTheyWereMade() {
        // All with one mtime, as files written within one clock tick have: only the names can order them.
        List<NewMessage> made = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            made.add(m(UniqueNames.next(), 9));
        }
        List<NewMessage> sorted = new ArrayList<>(made);
        java.util.Collections.shuffle(sorted, new java.util.Random(1));
        sorted.sort(FileInfo.DELIVERY_ORDER);
        assertThat(sorted).isEqualTo(made);
    }
}
