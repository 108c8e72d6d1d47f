package org.postwerk.delivery;

import org.postwerk.queue.Reason;
import org.postwerk.smtp.Reply;

/**
 * The server a delivery attempt talked to: host name, IP address and TLS version (null when plain text).
 * {@link #LOCAL} for Maildir delivery.
 */
public record Hop(String host, String ip, String tls) {
    public static final Hop LOCAL = new Hop("local", null, null);

    /** {@code mx.example.net [192.0.2.1]}, as the DSN Remote-MTA field and the log show it. */
    public String remoteMta() {
        return ip == null ? host : host + " [" + ip + "]";
    }

    /** This host answered {@code command} with {@code reply}. */
    Reason said(Reply reply, String command) {
        return new Reason.Remote(reply, remoteMta(), command);
    }
}
