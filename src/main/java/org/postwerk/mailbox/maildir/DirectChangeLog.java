package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postwerk.mailbox.ChangeLog;

/**
 * Folder changes without the journal ({@code [storage] journal = false}): a change is made durable in place,
 * once its files are renamed, by writing the folder's index with fsync and syncing its directories, before the
 * client hears OK. Slower than the journal (the index is rewritten for each change), equally safe. APPENDed
 * messages are fsync'd before the change (the folders are made with no journal limit).
 */
public final class DirectChangeLog implements ChangeLog {
    private final Folders folders;

    public DirectChangeLog(Folders folders) {
        this.folders = folders;
    }

    @Override
    public Written append(List<FolderChange> changes, Object content) {
        Set<String> names = new LinkedHashSet<>();
        changes.forEach(c -> names.add(c.folder()));
        return new Written() {
            @Override
            public void awaitDurable() {
                // nothing yet: the files are not renamed before the change is published
            }

            @Override
            public void applied() {
                try {
                    for (String name : names) {
                        folders.writeNow(name);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
