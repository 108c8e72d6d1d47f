package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postwerk.io.LineEnds;
import org.postwerk.mailbox.Change;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.FolderState;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.NewMessage;
import org.postwerk.mailbox.Operations;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mailbox.StoreMode;

/**
 * A session's handle on one Maildir folder. Every operation is a planned change made durable by the journal
 * before it returns ({@link FolderState#commit}); the files follow ({@link FolderFiles}).
 */
final class MaildirFolder implements Folder {
    private final Folders folders;
    private final Folders.Entry entry;
    private final String name;
    private boolean closed;

    MaildirFolder(Folders folders, Folders.Entry entry, String name) {
        this.folders = folders;
        this.entry = entry;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public FolderState state() {
        return entry.state;
    }

    Path dir() {
        return entry.files.dir;
    }

    /**
     * Gives UIDs to the files delivered into {@code new/} since the last look. Looks only when this process
     * delivered into the folder or {@code new/}'s modification time moved (another program delivered).
     */
    @Override
    public void refresh() throws IOException {
        if (!entry.delivered && newMtime() == entry.newMtime) {
            return;
        }
        entry.refreshLock.lock();
        try {
            entry.delivered = false;
            long mtime = newMtime();
            List<NewMessage> fresh = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(entry.files.fresh)) {
                for (Path p : s) {
                    if (!p.getFileName().toString().startsWith(".")) {
                        fresh.add(FileInfo.message(p, entry.state.current().keywords()));
                    }
                }
            } catch (NoSuchFileException e) {
                // no new/ yet
            }
            if (!fresh.isEmpty()) {
                fresh.sort(FileInfo.DELIVERY_ORDER);
                entry.state.commit((tip, modseq) -> Operations.add(tip, modseq, fresh));
            }
            entry.newMtime = mtime;
        } finally {
            entry.refreshLock.unlock();
        }
    }

    private long newMtime() {
        try {
            return Files.getLastModifiedTime(entry.files.fresh).toMillis();
        } catch (IOException e) {
            return -1;
        }
    }

    /** After a load: records what other programs changed in the files, as ordinary changes. */
    static void reconcile(Folders.Entry entry) throws IOException {
        FolderLoader.Differences d = FolderLoader.differences(entry.files.dir, entry.state.current());
        if (d.isEmpty()) {
            return;
        }
        for (Path p : d.inNew()) { // known, but its move to cur/ was lost
            Snapshot s = entry.state.current();
            String locator = FileInfo.locator(p.getFileName().toString());
            for (int i = 0; i < s.count(); i++) {
                if (s.locator(i).equals(locator)) {
                    Files.move(p, entry.files.cur.resolve(FolderFiles.curName(locator, s.flags(i), s.keywords())));
                    break;
                }
            }
        }
        if (!d.missing().isEmpty()) {
            long[] uids = d.missing().stream().mapToLong(Long::longValue).toArray();
            entry.state.commit((tip, modseq) -> {
                List<String> locators = new ArrayList<>();
                for (long uid : uids) {
                    locators.add(tip.locator(tip.indexOf(uid)));
                }
                return FolderState.Plan.of(new Change.Expunged(modseq, uids, locators), null);
            });
        }
        if (!d.flags().isEmpty()) {
            entry.state.commit((tip, modseq) -> {
                List<Change.FlagUpdate> updates = new ArrayList<>();
                for (Map.Entry<Long, Flags> f : d.flags().entrySet()) {
                    int i = tip.indexOf(f.getKey());
                    if (i >= 0) {
                        updates.add(new Change.FlagUpdate(f.getKey(), tip.locator(i), tip.flags(i), f.getValue()));
                    }
                }
                return FolderState.Plan.of(new Change.FlagsSet(modseq, updates), null);
            });
        }
        if (!d.unknown().isEmpty()) {
            entry.state.commit((tip, modseq) -> Operations.add(tip, modseq, d.unknown()));
        }
    }

    @Override
    public long append(Folder.Content crlfMessage, long size, Flags flags, long internalDate)
            throws IOException, MailAccess.Problem {
        if (!entry.state.current().canHold(flags)) {
            throw new MailAccess.Problem(MailAccess.Problem.Code.LIMIT, "Too many keywords in this folder");
        }
        String base = UniqueNames.next();
        Path tmp = entry.files.tmp.resolve(base);
        folders.disk().createDirectories(entry.files.tmp);
        boolean journaled = size <= folders.journalMax();
        java.io.ByteArrayOutputStream copy = journaled ? new java.io.ByteArrayOutputStream((int) size) : null;
        long lf;
        long crlf;
        try (FileChannel ch = folders.disk().create(tmp)) {
            OutputStream file = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 65536);
            OutputStream sink = copy == null ? file : new TeeStream(file, copy);
            LineEnds.ToLf out = LineEnds.toLf(sink);
            crlfMessage.writeTo(out);
            out.finish();
            lf = out.lfSize();
            crlf = out.crlfSize();
            if (!journaled) {
                folders.disk().fsync(ch); // too large for the journal: durable in place before the record
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        // The INTERNALDATE is the file's mtime too, as Dovecot keeps it (and reads it: maildir has no other place
        // for it), so a Maildir taken over by Dovecot or an index rebuilt from the files keeps APPEND's date.
        Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.fromMillis(internalDate));
        String locator = base + ",S=" + lf + ",W=" + crlf;
        Files.move(tmp, entry.files.tmp.resolve(locator));
        ByteBuffer content = copy == null ? null : ByteBuffer.wrap(copy.toByteArray());
        try {
            long[] uids = entry.state.commit((tip, modseq) -> {
                FolderState.Plan<long[]> p = Operations.add(tip, modseq,
                        List.of(new NewMessage(locator, flags, internalDate, crlf)));
                return new FolderState.Plan<>(p.changes(), p.result(), content);
            });
            return uids[0];
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(entry.files.tmp.resolve(locator));
            throw e;
        }
    }

    @Override
    public Operations.Stored store(long[] uids, StoreMode mode, Flags flags, long unchangedSince) throws IOException {
        return entry.state.commit((tip, modseq) -> Operations.store(tip, modseq, uids, mode, flags, unchangedSince));
    }

    @Override
    public long[] expunge(long[] uids) throws IOException {
        return entry.state.commit((tip, modseq) -> Operations.expunge(tip, modseq, uids));
    }

    /**
     * COPY links each file into the target's {@code tmp/} (MOVE too, then removes the source's), syncs that
     * directory once, and commits one record for both folders; the target's files then move into {@code cur/}.
     * Each copy gets a new name (a locator is unique within a folder); the record names its origin.
     */
    @Override
    public Operations.Copied copy(long[] uids, Folder target, boolean move) throws IOException, MailAccess.Problem {
        MaildirFolder to = (MaildirFolder) target;
        boolean same = to.entry == entry;
        Snapshot s = entry.state.current();
        if (same && move) {
            return new Operations.Copied(s.uidValidity(), new long[0], new long[0]); // MOVE onto itself: nothing
        }
        java.util.HashMap<String, String> names = new java.util.HashMap<>();
        List<Path> linked = new ArrayList<>();
        folders.disk().createDirectories(to.entry.files.tmp);
        try {
            for (long uid : uids) {
                int i = s.indexOf(uid);
                if (i < 0) {
                    continue;
                }
                Path file = entry.files.find(s.locator(i), s.flags(i), s.keywords());
                if (file == null) {
                    continue;
                }
                // Always a new name: the target may hold this locator already (an earlier COPY of the message).
                String locator = renamed(s.locator(i));
                Path link = to.entry.files.tmp.resolve(locator);
                Files.createLink(link, file);
                linked.add(link);
                names.put(s.locator(i), locator);
            }
            folders.disk().syncDirectory(to.entry.files.tmp);
            long[] present = java.util.Arrays.stream(uids).filter(u -> {
                int i = s.indexOf(u);
                return i >= 0 && names.containsKey(s.locator(i));
            }).toArray();
            return FolderState.commit(folders.log(), same ? List.of(entry.state) : List.of(entry.state, to.entry.state),
                    (tips, next) -> {
                        Snapshot src = tips.get(0);
                        Snapshot dst = same ? src : tips.get(1);
                        FolderState.Plan<Operations.Copied> p = Operations.copy(entry.state.name(), src, dst,
                                next.get(0), same ? next.get(0) : next.get(1), present,
                                l -> names.getOrDefault(l, l), move);
                        return same ? new FolderState.Plan<>(p.changes().subList(1, 2), p.result(), null) : p;
                    });
        } catch (IOException | RuntimeException e) {
            for (Path p : linked) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
    }

    private static String renamed(String locator) {
        MaildirName n = MaildirName.parse(locator);
        return UniqueNames.next() + n.inNew().substring(n.base().length());
    }

    @Override
    public Optional<InputStream> content(long uid) throws IOException {
        Snapshot s = entry.state.current();
        int i = s.indexOf(uid);
        if (i < 0) {
            return Optional.empty();
        }
        Path file = entry.files.find(s.locator(i), s.flags(i), s.keywords());
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LineEnds.toCrlf(new java.io.BufferedInputStream(Files.newInputStream(file), 65536)));
        } catch (NoSuchFileException e) {
            file = entry.files.search(s.locator(i)); // renamed by a flag change meanwhile
            return file == null ? Optional.empty()
                    : Optional.of(LineEnds.toCrlf(new java.io.BufferedInputStream(Files.newInputStream(file), 65536)));
        }
    }

    @Override
    public org.postwerk.mailbox.MessageCache cache() {
        return entry.cache;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            folders.release(entry);
        }
    }

    /** Writes to two streams: the message file and the copy for the journal record. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
