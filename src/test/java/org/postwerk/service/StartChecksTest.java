package org.postwerk.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The JDK's bind errors in the operator's words (as root the EACCES case cannot be made for real). */
class StartChecksTest {
    private final InetSocketAddress port25 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);

    @Test
    void privilegedPortWithoutTheCapability() {
        StartProblem p = StartChecks.bindFailure("smtp", port25, new BindException("Permission denied"));
        assertThat(p.exit().code).isEqualTo(78);
        assertThat(p.line()).isEqualTo("smtp listener 127.0.0.1:25: permission denied; ports below 1024 need "
                + "CAP_NET_BIND_SERVICE: run from the systemd unit (AmbientCapabilities=CAP_NET_BIND_SERVICE) or set "
                + "a port >= 1024");
    }

    @Test
    void addressThisHostDoesNotHave() {
        StartProblem p = StartChecks.bindFailure("imap", new InetSocketAddress("192.0.2.7", 143),
                new BindException("Cannot assign requested address"));
        assertThat(p.line()).startsWith("imap listener 192.0.2.7:143: this host has no such address;");
    }

    @Test
    void otherFailuresAreIoErrors() {
        StartProblem p = StartChecks.bindFailure("smtp", port25, new BindException("Too many open files"));
        assertThat(p.exit().code).isEqualTo(74);
        assertThat(p.line()).isEqualTo("smtp listener 127.0.0.1:25: cannot listen (Too many open files)");
    }
}
