package org.postwerk.delivery;

import java.time.Duration;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.tls.ClientTls;

/**
 * @param client        EHLO name and RFC 5321 timeouts
 * @param port          the SMTP port of MX hosts (25; tests use a sink's ephemeral port)
 * @param verifiedTls   the context for verified TLS (require-TLS routes): normally {@link ClientTls#systemTrust()}
 * @param reuseIdle     how long an idle connection is kept for the next message to the same destination
 */
public record MxSettings(ClientSettings client, int port, ClientTls verifiedTls, Duration reuseIdle) {}
