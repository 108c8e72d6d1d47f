package org.postwerk.mailbox;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One user's mail as IMAP and POP3 use it: the folder tree (names with '/' as hierarchy separator, INBOX
 * first), special-use attributes, subscriptions, quota, and opening a folder. Implementations are thread-safe;
 * several sessions of one user share the folders they open.
 */
public interface MailAccess {
    String INBOX = "INBOX";
    char SEPARATOR = '/';

    /** Every folder, INBOX first, then by name. */
    List<FolderInfo> folders() throws IOException;

    /** A folder's entry, or empty when it does not exist. */
    Optional<FolderInfo> folder(String name) throws IOException;

    /** Opens a folder for a session; close it when the session lets it go. */
    Folder open(String name) throws IOException, Problem;

    /** Creates a folder (and any missing parents); {@code use} marks it special (RFC 6154 CREATE-SPECIAL-USE). */
    void create(String name, Optional<SpecialUse> use) throws IOException, Problem;

    /** Deletes a folder and its messages (not INBOX; a folder with children keeps them, RFC 9051 §6.3.9). */
    void delete(String name) throws IOException, Problem;

    /** Renames a folder and its children; renaming INBOX moves its messages to the new folder (RFC 9051 §6.3.10). */
    void rename(String from, String to) throws IOException, Problem;

    void subscribe(String name, boolean subscribed) throws IOException;

    List<String> subscriptions() throws IOException;

    /** Storage in use and the limit (bytes; limit -1: none, and then usage -1: not counted), for QUOTA (RFC 9208) and APPEND. */
    Quota quota() throws IOException;

    /** A folder in the tree. */
    record FolderInfo(String name, Optional<SpecialUse> use, boolean subscribed, boolean hasChildren,
                      boolean selectable) {}

    record Quota(long usedBytes, long limitBytes, long messages, long messageLimit) {
        public boolean allows(long moreBytes) {
            return limitBytes < 0 || usedBytes + moreBytes <= limitBytes;
        }
    }

    /** A refusal the client must hear about (e.g. the folder exists already): a NO with a response code. */
    final class Problem extends Exception {
        /** RFC 5530 response codes. */
        public enum Code { NONEXISTENT, ALREADYEXISTS, CANNOT, OVERQUOTA, LIMIT, INUSE, NOPERM }

        private final Code code;

        public Problem(Code code, String message) {
            super(message);
            this.code = code;
        }

        public Code code() {
            return code;
        }
    }
}
