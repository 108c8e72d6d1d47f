package org.postwerk.config;

import java.time.Duration;

public record Timeouts(Duration command, Duration dataBlock, Duration session) {}
