package org.postwerk.smtp.server;

import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Optional;
import org.postwerk.config.Role;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;

/**
 * Message authentication and policy on inbound mail, in stages (SPF at MAIL FROM, DKIM while the content
 * streams, DMARC at the end). The session knows nothing of SPF or DKIM: it asks for verdicts and prepends
 * the header fields it is given (Authentication-Results, Received-SPF).
 */
public interface InboundChecks {
    /** Who is sending; {@code authUser} is null when not authenticated. */
    record Client(InetAddress address, String helo, String authUser, Role role) {}

    /** Begins the checks of one mail transaction at MAIL FROM. */
    Transaction begin(Client client, Optional<Mailbox> sender);

    /** The connection as it starts: who connected to which of our addresses, and the session id for the log. */
    record Peer(java.net.InetSocketAddress client, java.net.InetSocketAddress local, String session) {}

    /**
     * The checks of one SMTP session, from the connection on (content filters such as milters talk to the session
     * as a whole). By default: nothing at connect and HELO, and each transaction as {@link #begin}.
     */
    default Connection connect(Peer peer) {
        return (client, sender, queueId) -> begin(client, sender);
    }

    interface Connection {
        /** A refusal for HELO/EHLO (and the refusal of the connection, kept for every later HELO), or null. */
        default Reply atHelo(String name, org.postwerk.tls.TlsInfo tls) {
            return null;
        }

        /** Begins a transaction at MAIL FROM; {@code queueId} is the id the message will have. */
        Transaction begin(Client client, Optional<Mailbox> sender, String queueId);

        /** The session is over. */
        default void close() {}
    }

    interface Transaction {
        /** A rejection at MAIL FROM (e.g. SPF fail under a reject policy), or null to go on. */
        Reply atMail();

        /** A refusal of this recipient (the transaction goes on), or null to take it. */
        default Reply atRcpt(Mailbox recipient) {
            return null;
        }

        /** A refusal of DATA (or the first BDAT), or null to go on. */
        default Reply atData() {
            return null;
        }

        /** The transaction ends without {@link #atEnd} (RSET, a refusal, the client left). */
        default void abort() {}

        /** Sees the content as received (after dot-unstuffing) while it streams. */
        OutputStream content();

        /** At the end of the content: reject, or the header fields to put at the top. */
        Verdict atEnd();

        /** The same, for checks that read the content again (a milter sees it whole): {@code content} as received. */
        default Verdict atEnd(org.postwerk.io.SpillBuffer content) throws java.io.IOException {
            return atEnd();
        }

        /**
         * After {@link #atEnd()}, for a message we pass on to another domain (a forwarding alias): the ARC set
         * (RFC 8617) that vouches for our results downstream, or "" for none.
         */
        default String sealForForwarding(org.postwerk.io.SpillBuffer content, String forwardingDomain)
                throws java.io.IOException {
            return "";
        }
    }

    sealed interface Verdict {
        /**
         * @param headers complete header fields, each CRLF-terminated; "" for none
         * @param folder  the mailbox folder for local delivery (e.g. "Junk" for quarantine), null for INBOX
         */
        record Accept(String headers, String folder, Changes changes) implements Verdict {
            public Accept(String headers, String folder) {
                this(headers, folder, Changes.NONE);
            }

            public Accept(String headers) {
                this(headers, null);
            }
        }

        record Reject(Reply reply) implements Verdict {}

        /** Say 250, store nothing (a milter's SMFIR_DISCARD, or every recipient deleted). */
        record Discard(String why) implements Verdict {}
    }

    /**
     * What a content filter changed: {@code content} writes the message as changed (null: as received), and
     * envelope recipients were added or removed.
     */
    record Changes(Content content, java.util.List<Mailbox> added, java.util.List<Mailbox> removed) {
        public static final Changes NONE = new Changes(null, java.util.List.of(), java.util.List.of());

        public Changes {
            added = java.util.List.copyOf(added);
            removed = java.util.List.copyOf(removed);
        }
    }

    /** The content of a changed message. */
    interface Content {
        void writeTo(OutputStream out) throws java.io.IOException;
    }

    /** No checks at all. */
    InboundChecks NONE = (client, sender) -> new Transaction() {
        public Reply atMail() {
            return null;
        }

        public OutputStream content() {
            return OutputStream.nullOutputStream();
        }

        public Verdict atEnd() {
            return new Verdict.Accept("");
        }
    };
}
