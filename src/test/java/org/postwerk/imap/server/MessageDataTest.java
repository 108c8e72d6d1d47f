package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postwerk.mailbox.DecodedCache;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.FolderState;
import org.postwerk.mailbox.MessageCache;
import org.postwerk.mailbox.Operations;
import org.postwerk.mailbox.StoreMode;
import org.postwerk.mime.HeaderBlock;

class MessageDataTest {
    private static final byte[] MESSAGE = ("From: a@example.org\r\nSubject: Hello\r\nContent-Type: text/plain\r\n\r\n"
            + "Body\r\n").getBytes(StandardCharsets.US_ASCII);

    /** A folder of one message (UID 1) that counts how often its file and its cache file are read. */
    private static final class OneMessage implements Folder, MessageCache {
        final Map<Long, byte[]> stored = new HashMap<>();
        final DecodedCache memory = new DecodedCache(1 << 20);
        int fileReads;
        int cacheReads;

        @Override
        public byte[] get(long uid) {
            cacheReads++;
            return stored.get(uid);
        }

        @Override
        public void put(long uid, byte[] data) {
            stored.put(uid, data);
        }

        @Override
        public Object decoded(long uid) {
            return memory.get(this, uid);
        }

        @Override
        public void decoded(long uid, Object data, int size) {
            memory.put(this, uid, data, size);
        }

        @Override
        public Optional<InputStream> content(long uid) {
            fileReads++;
            return uid == 1 ? Optional.of(new ByteArrayInputStream(MESSAGE)) : Optional.empty();
        }

        @Override
        public MessageCache cache() {
            return this;
        }

        @Override
        public String name() {
            return "INBOX";
        }

        @Override
        public FolderState state() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void refresh() {
        }

        @Override
        public long append(Content crlfMessage, long size, Flags flags, long internalDate) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Operations.Stored store(long[] uids, StoreMode mode, Flags flags, long unchangedSince) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long[] expunge(long[] uids) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Operations.Copied copy(long[] uids, Folder target, boolean move) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void parsedOnceThenSharedFromMemoryWithoutReadingTheCacheFileAgain() throws Exception {
        OneMessage f = new OneMessage();
        MessageData first = MessageData.of(f, 1, MESSAGE.length).orElseThrow();
        MessageData again = MessageData.of(f, 1, MESSAGE.length).orElseThrow();
        assertThat(again).isSameAs(first);
        assertThat(f.fileReads).isEqualTo(1);
        assertThat(f.cacheReads).isEqualTo(1);
        assertThat(MessageData.of(f, 2, 10)).isEmpty();
    }

    @Test
    void theHeaderOfACacheEntryNeedsNoStructureAndADamagedStructureIsParsedAgain() throws Exception {
        OneMessage f = new OneMessage();
        byte[] entry = MessageData.of(f, 1, MESSAGE.length).orElseThrow().encode();
        entry[1] ^= 0x55; // the structure's first octet (its version): the entry is damaged
        f.stored.put(1L, entry);
        f.memory.forget(f);
        f.fileReads = 0;
        MessageData d = MessageData.of(f, 1, MESSAGE.length).orElseThrow();
        byte[] subject = d.headers().filter(HeaderBlock.Names.of(List.of("subject")), false);
        assertThat(new String(subject, StandardCharsets.US_ASCII)).isEqualTo("Subject: Hello\r\n\r\n");
        assertThat(f.fileReads).isZero();
        assertThat(d.structure().root().bodyStart()).isEqualTo(MESSAGE.length - 6);
        assertThat(f.fileReads).isEqualTo(1);
    }
}
