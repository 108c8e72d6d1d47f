package org.postwerk.smtp.server;

import java.time.Clock;
import org.postwerk.account.Directory;
import org.postwerk.queue.Intake;

/**
 * What a session talks to. {@code tls} and {@code authentication} may be null (no TLS / no AUTH on offer).
 */
public record SessionServices(Directory directory, Intake intake, RelayPolicy relay, TlsUpgrade tls,
                              Authentication authentication, Clock clock) {}
