package org.postwerk.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecodedCacheTest {
    @Test
    void keepsPerFolderAndDropsTheLeastRecentlyUsedBeyondTheBound() {
        DecodedCache c = new DecodedCache(1000);
        Object inbox = new Object();
        Object sent = new Object();
        c.put(inbox, 1, "a", 200);
        c.put(inbox, 2, "b", 200);
        c.put(sent, 1, "c", 200);
        assertThat(c.get(inbox, 1)).isEqualTo("a");
        assertThat(c.get(sent, 1)).isEqualTo("c");
        assertThat(c.get(sent, 2)).isNull();
        c.get(inbox, 1); // read: the next eviction passes it over and takes 2
        c.put(inbox, 3, "d", 200);
        c.put(inbox, 4, "e", 200);
        assertThat(c.bytes()).isEqualTo(1000);
        c.put(inbox, 5, "f", 200);
        assertThat(c.get(inbox, 2)).isNull();
        assertThat(c.get(inbox, 1)).isEqualTo("a");
        assertThat(c.bytes()).isEqualTo(1000);
        c.put(inbox, 6, "too big", 251); // more than a quarter of the bound: not kept
        assertThat(c.get(inbox, 6)).isNull();
    }

    @Test
    void forgetsAFolder() {
        DecodedCache c = new DecodedCache(1000);
        Object inbox = new Object();
        Object sent = new Object();
        c.put(inbox, 1, "a", 100);
        c.put(sent, 1, "b", 100);
        c.forget(inbox);
        assertThat(c.get(inbox, 1)).isNull();
        assertThat(c.get(sent, 1)).isEqualTo("b");
        assertThat(c.bytes()).isEqualTo(100);
    }
}
