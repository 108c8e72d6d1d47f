package org.postwerk.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mailbox.StoreMode;

/**
 * One POP3 session's maildrop: the INBOX as it was at login (RFC 1939 §8: the messages and their numbers stay
 * fixed for the session; mail delivered later waits for the next one), the messages marked deleted, and those
 * retrieved whole. Nothing changes in the store before {@link #update}, the UPDATE state at QUIT.
 *
 * <p>Shared with IMAP: the folder is the one IMAP sessions see, and no lock keeps them out (Dovecot's default
 * too). A message that IMAP expunges during the session is simply gone: RETR and TOP answer -ERR for it, and
 * its DELE has nothing left to do at QUIT.
 */
final class Maildrop implements AutoCloseable {
    private final Folder folder;
    private final long uidValidity;
    private final long[] uids;
    private final long[] sizes;
    private final boolean[] deleted;
    private final boolean[] retrieved;

    private Maildrop(Folder folder, Snapshot s) {
        this.folder = folder;
        this.uidValidity = s.uidValidity();
        int n = s.count();
        uids = new long[n];
        sizes = new long[n];
        for (int i = 0; i < n; i++) {
            uids[i] = s.uid(i);
            sizes[i] = s.size(i); // the CRLF size, as RETR sends it before dot-stuffing (RFC 1939 §5)
        }
        deleted = new boolean[n];
        retrieved = new boolean[n];
    }

    static Maildrop open(MailAccess mail) throws IOException, MailAccess.Problem {
        Folder folder = mail.open(MailAccess.INBOX);
        try {
            folder.refresh();
            return new Maildrop(folder, folder.state().current());
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    /** Messages not marked deleted. */
    int count() {
        int c = 0;
        for (boolean d : deleted) {
            c += d ? 0 : 1;
        }
        return c;
    }

    long octets() {
        long o = 0;
        for (int i = 0; i < uids.length; i++) {
            o += deleted[i] ? 0 : sizes[i];
        }
        return o;
    }

    /** The highest message number (deleted ones included: numbers never shift in a session). */
    int last() {
        return uids.length;
    }

    /** True when the message number names a message not marked deleted (RFC 1939 §5). */
    boolean exists(int message) {
        return message >= 1 && message <= uids.length && !deleted[message - 1];
    }

    long size(int message) {
        return sizes[message - 1];
    }

    /**
     * RFC 1939 §7: a unique-id of 1-70 printable characters that stays the same across sessions. Ours is the
     * IMAP UID and UIDVALIDITY in hex, eight digits each, Dovecot's default {@code pop3_uidl_format} of
     * {@code %08Xu%08Xv}: it is as stable as the UID, so a POP3 client and an IMAP client agree on which
     * message is which, and a mailbox moved from Dovecot keeps its UIDLs when the UIDs come along.
     */
    String uidl(int message) {
        return String.format(Locale.ROOT, "%08X%08X", uids[message - 1], uidValidity);
    }

    /** The message in CRLF form, or empty when IMAP expunged it meanwhile. */
    Optional<InputStream> content(int message) throws IOException {
        return folder.content(uids[message - 1]);
    }

    void delete(int message) {
        deleted[message - 1] = true;
    }

    void retrieved(int message) {
        retrieved[message - 1] = true;
    }

    /** RSET: no message is marked deleted any more. */
    void reset() {
        Arrays.fill(deleted, false);
    }

    /**
     * The UPDATE state (RFC 1939 §6): retrieved messages get \Seen, as Dovecot does by default, and the ones
     * marked deleted are flagged \Deleted and expunged — only those, through the same durable path as IMAP's
     * UID EXPUNGE, so a \Deleted flag an IMAP client set on another message is left alone. Returns once every
     * change survives a crash; the messages removed (those IMAP expunged first are not counted).
     */
    int update() throws IOException {
        long[] seen = select(retrieved, false);
        long[] gone = select(deleted, true);
        if (seen.length > 0) {
            folder.store(seen, StoreMode.ADD, Flags.of(Flag.SEEN), -1);
        }
        if (gone.length == 0) {
            return 0;
        }
        folder.store(gone, StoreMode.ADD, Flags.of(Flag.DELETED), -1);
        return folder.expunge(gone).length;
    }

    /** UIDs (ascending) of the messages marked in {@code marks} and, unless {@code andDeleted}, not deleted. */
    private long[] select(boolean[] marks, boolean andDeleted) {
        long[] out = new long[uids.length];
        int n = 0;
        for (int i = 0; i < uids.length; i++) {
            if (marks[i] && (andDeleted || !deleted[i])) {
                out[n++] = uids[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public void close() {
        folder.close();
    }
}
