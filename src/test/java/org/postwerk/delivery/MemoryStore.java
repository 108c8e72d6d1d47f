package org.postwerk.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postwerk.store.MailboxStore;

/** A MailboxStore in memory: committed deliveries are listed with their accounts, folder and content. */
final class MemoryStore implements MailboxStore {
    record Stored(List<String> accounts, String folder, String content) {}

    final List<Stored> stored = new CopyOnWriteArrayList<>();
    volatile boolean broken;

    @Override
    public Delivery open(List<String> accounts, String folder) throws IOException {
        if (broken) {
            throw new IOException("disk full (test)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new Delivery() {
            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void commit() {
                stored.add(new Stored(List.copyOf(accounts), folder, out.toString(StandardCharsets.UTF_8)));
            }

            @Override
            public void close() {
                // nothing to discard
            }
        };
    }
}
