package org.postwerk.delivery;

import java.nio.file.Path;
import java.util.List;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;

/**
 * Delivers one queued message to some of its recipients, all in one destination domain. Never throws for
 * delivery problems: every recipient gets an {@link Outcome}, in the order given.
 */
public interface Courier {
    List<Outcome> deliver(Envelope envelope, List<Recipient> recipients, Path message);
}
