package org.postwerk.reports;

import java.nio.file.Path;
import java.util.List;
import org.postwerk.delivery.Courier;
import org.postwerk.delivery.Outcome;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.Mailbox;

/**
 * Sends report mail (envelope sender {@code from}) through {@code reports}, everything else through
 * {@code mail}. RFC 8460 §3: reports "MUST" be delivered despite TLS failures and their sessions "SHOULD NOT"
 * be counted in the next report, so {@code reports} is a courier without MTA-STS (or DANE) policies and
 * without TLS result counting: no report about report mail, and no report stuck behind the policy it reports on.
 */
public record ReportCourier(Mailbox from, Courier reports, Courier mail) implements Courier {
    @Override
    public List<Outcome> deliver(Envelope envelope, List<Recipient> recipients, Path message) {
        boolean report = envelope.sender().map(from::equals).orElse(false);
        return (report ? reports : mail).deliver(envelope, recipients, message);
    }
}
