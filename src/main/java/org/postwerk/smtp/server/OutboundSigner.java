package org.postwerk.smtp.server;

import java.io.IOException;
import org.postwerk.io.SpillBuffer;
import org.postwerk.queue.Envelope;

/**
 * Signs mail our own users send (DKIM), over the message exactly as it will be stored — after the session
 * added Message-ID and Date — and returns the header fields to put at the top, or "" for none.
 */
@FunctionalInterface
public interface OutboundSigner {
    String sign(Envelope envelope, SpillBuffer content) throws IOException;

    OutboundSigner NONE = (envelope, content) -> "";
}
