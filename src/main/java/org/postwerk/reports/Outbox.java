package org.postwerk.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.postwerk.io.PosixDisk;
import org.postwerk.io.SpillBuffer;
import org.postwerk.queue.Control;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Intake;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueIds;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Spool;
import org.postwerk.queue.SpoolWriter;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.server.OutboundSigner;

/** Where a composed report goes. */
public interface Outbox {
    /** Hands one message for one recipient on; when this returns it is durable. */
    void send(String to, byte[] message) throws IOException;

    /**
     * Into the running server's queue, DKIM-signed as submitted mail is ({@code policy.DkimSigning} over the
     * message as stored; the queue itself does not sign), then retried and bounced like any other message.
     *
     * @param from  the envelope sender: the report address, which also tells report mail apart on delivery
     * @param spill where a large message being signed may spill (the data folder's spill/)
     */
    record Queued(Queue queue, Mailbox from, OutboundSigner signer, Path spill) implements Outbox {
        @Override
        public void send(String to, byte[] message) throws IOException {
            Envelope env = envelope(queue.newId(), from, to, queue.now());
            queue.submit(env, signed(env, message, signer, spill));
        }
    }

    /**
     * Into the spool of a data folder no server runs on ({@code postwerk reports send}), as sendmail writes it;
     * the next server start delivers it.
     */
    record Spooled(Path dataDir, Mailbox from, OutboundSigner signer) implements Outbox {
        @Override
        public void send(String to, byte[] message) throws IOException {
            Envelope env = envelope(new QueueIds("r").next(System.currentTimeMillis()), from, to, Instant.now());
            Spool spool = new Spool(dataDir.resolve("queue"), new PosixDisk());
            try (Intake.Draft d = new SpoolWriter(spool, Clock.systemUTC(), e -> { }).open(env)) {
                d.out().write(signed(env, message, signer, dataDir.resolve("spill")));
                d.commit();
            }
            new Control(spool).tell(Control.Op.NEW, env.id());
        }
    }

    private static Envelope envelope(String id, Mailbox from, String to, Instant now) throws IOException {
        Mailbox rcpt;
        try {
            rcpt = AddressParser.parseMailbox(to);
        } catch (AddressParser.SyntaxError e) {
            throw new IOException("not a mailbox: " + to, e);
        }
        return new Envelope(id, Optional.of(from), List.of(Recipient.of(rcpt)), BodyType.SEVEN_BIT,
                rcpt.isInternational(), null, null, now, null, "localhost");
    }

    /** The message with the signer's header fields on top. */
    private static byte[] signed(Envelope env, byte[] message, OutboundSigner signer, Path spill) throws IOException {
        String fields;
        try (SpillBuffer buffer = new SpillBuffer(spill, 1 << 20)) {
            buffer.write(message);
            fields = signer.sign(env, buffer);
        }
        byte[] head = fields.getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + message.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }
}
