package org.postwerk.delivery;

import java.time.Duration;
import org.postwerk.queue.Recipient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery lines of the operator mail log ({@code postwerk.mail}): one per recipient per attempt, fixed words (sent, deferred, bounced,
 * expanded) so it greps well: queue id, recipient, host and IP, TLS version, result, remote reply, delay.
 */
final class DeliveryLog {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.mail");

    private DeliveryLog() {}

    static void attempt(String id, Recipient r, Outcome o, Duration delay) {
        String result = switch (o) {
            case Outcome.Delivered d -> "sent";
            case Outcome.Deferred d -> "deferred";
            case Outcome.Failed f -> "bounced";
            case Outcome.Expanded e -> "expanded";
        };
        Hop hop = o.hop();
        String reply = o.reply() == null ? "" : o.reply().toString().replace("\r\n", " / ");
        String line = "{} id={} to=<{}> relay={} ip={} tls={} delay={}s reply=\"{}\"";
        Object[] args = {result, id, r.address(), hop == null ? "none" : hop.host(),
                hop == null || hop.ip() == null ? "-" : hop.ip(), hop == null || hop.tls() == null ? "none" : hop.tls(),
                delay.toSeconds(), reply};
        if (o instanceof Outcome.Delivered || o instanceof Outcome.Expanded) {
            LOG.info(line, args);
        } else {
            LOG.warn(line, args);
        }
    }
}
