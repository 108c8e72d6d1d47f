package org.postwerk.config;

import java.time.Duration;

public record Limits(long messageSize, int recipients, int commandLine, int textLine, int connections,
                     int connectionsPerIp, int errors, int authFailures, Duration authFailureDelay) {}
