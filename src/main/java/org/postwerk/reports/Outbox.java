package org.postwerk.reports;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.postwerk.io.SpillBuffer;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Queue;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.server.OutboundSigner;

/** Where a composed report goes. */
public interface Outbox {
    /** Hands one message for one recipient on; when this returns it is durable. */
    void send(String to, byte[] message) throws IOException;

    /**
     * Into our own queue, DKIM-signed as submitted mail is ({@code policy.DkimSigning} over the message as
     * stored; the queue itself does not sign), then retried and bounced like any other message.
     *
     * @param from   the envelope sender: the report address, which also tells report mail apart on delivery
     * @param spill  where a large message being signed may spill (the data folder's spill/)
     */
    record Queued(Queue queue, Mailbox from, OutboundSigner signer, Path spill) implements Outbox {
        @Override
        public void send(String to, byte[] message) throws IOException {
            Mailbox rcpt;
            try {
                rcpt = AddressParser.parseMailbox(to);
            } catch (AddressParser.SyntaxError e) {
                throw new IOException("not a mailbox: " + to, e);
            }
            Envelope env = new Envelope(queue.newId(), Optional.of(from), List.of(Recipient.of(rcpt)),
                    BodyType.SEVEN_BIT, rcpt.isInternational(), null, null, queue.now(), null, "localhost");
            String fields;
            try (SpillBuffer buffer = new SpillBuffer(spill, 1 << 20)) {
                buffer.write(message);
                fields = signer.sign(env, buffer);
            }
            byte[] head = fields.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] signed = java.util.Arrays.copyOf(head, head.length + message.length);
            System.arraycopy(message, 0, signed, head.length, message.length);
            queue.submit(env, signed);
        }
    }
}
