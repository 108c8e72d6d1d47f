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

    interface Transaction {
        /** A rejection at MAIL FROM (e.g. SPF fail under a reject policy), or null to go on. */
        Reply atMail();

        /** Sees the content as received (after dot-unstuffing) while it streams. */
        OutputStream content();

        /** At the end of the content: reject, or the header fields to put at the top. */
        Verdict atEnd();

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
        record Accept(String headers, String folder) implements Verdict {
            public Accept(String headers) {
                this(headers, null);
            }
        }

        record Reject(Reply reply) implements Verdict {}
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
