package org.postwerk.smtp.server;

import org.postwerk.log.Sanitize;
import java.net.InetSocketAddress;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.Command;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.tls.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's lines in the operator mail log ({@code postwerk.mail}): {@code received} for a message that was
 * stored, {@code rejected} for a refusal. Fixed words, {@code key=value} fields; every value the client chose is
 * sanitized, so a client can neither start a line nor fake a field.
 */
final class MailLog {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.mail");

    private MailLog() {}

    /**
     * {@code rejected session=… client=… KEY=VALUE… reply="…"}; {@code fields} are key, value pairs (a null
     * value leaves its key out).
     */
    static void rejected(String session, InetSocketAddress client, Reply reply, String... fields) {
        StringBuilder line = new StringBuilder(160).append("rejected session=").append(session)
                .append(" client=").append(address(client));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                line.append(' ').append(fields[i]).append('=').append(Sanitize.log(fields[i + 1]));
            }
        }
        LOG.info(line.append(" reply=\"").append(reply).append('"').toString());
    }

    /**
     * The {@code rejected} line for {@code reply} to {@code command}: the sender (of the command, else of the
     * transaction), the recipient of a RCPT, and the id and size of a message whose content just ended.
     */
    static void refused(String session, InetSocketAddress client, Command command, Reply reply, String authUser,
                        String reversePath, Reception message, Mailbox postmaster) {
        String from = command instanceof Command.Mail m ? m.sender().map(s -> "<" + s + ">").orElse("<>")
                : message != null ? message.envelope().reversePath() : reversePath;
        String to = command instanceof Command.Rcpt r ? "<" + (r.postmaster() ? postmaster : r.recipient()) + ">" : null;
        rejected(session, client, reply, "command", command.verb().name(), "auth", authUser, "from", from, "to", to,
                "id", message == null ? null : message.envelope().id(),
                "size", message == null ? null : Long.toString(message.size()));
    }

    /** {@code received session=… id=… client=… helo=… tls=… auth=… from=… to=… size=… message-id=…}. */
    static void received(String session, Envelope envelope, InetSocketAddress client, String helo, TlsInfo tls,
                         String authUser, long size, String messageId) {
        StringBuilder to = new StringBuilder();
        for (Recipient r : envelope.recipients()) {
            to.append(to.isEmpty() ? "" : ",").append(Sanitize.log("<" + r.address() + ">"));
        }
        LOG.info("received session={} id={} client={} helo=\"{}\" tls={} auth={} from={} to={} size={} message-id={}",
                session, envelope.id(), address(client), Sanitize.text(helo, 80),
                tls == null ? "none" : tls.protocol(), Sanitize.log(authUser), Sanitize.log(envelope.reversePath()),
                to, size, Sanitize.log(messageId));
    }

    /** {@code address:port}, or "?" before it is known. */
    static String address(InetSocketAddress client) {
        return client == null ? "?" : client.getAddress().getHostAddress() + ":" + client.getPort();
    }
}
