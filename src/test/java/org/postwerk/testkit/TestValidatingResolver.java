package org.postwerk.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * A validating recursive resolver on 127.0.0.1 (UDP) for tests, standing in for unbound: it asks an
 * authoritative {@link TestDnsServer} through dnsjava's validator and answers with the AD bit set for validated
 * data and SERVFAIL for bogus data (RFC 4035 §3.2.3, §5.5), which is all a client trusting the AD bit sees.
 */
public final class TestValidatingResolver implements AutoCloseable {
    private final DatagramSocket udp;
    private final ValidatingResolver validator;

    /** Validates answers from {@code upstream} from the trust anchors in {@code anchors} (zone-file text). */
    public TestValidatingResolver(InetSocketAddress upstream, String anchors) {
        SimpleResolver head = new SimpleResolver(upstream);
        head.setTimeout(Duration.ofSeconds(2));
        validator = new ValidatingResolver(head);
        try {
            validator.loadTrustAnchors(new ByteArrayInputStream(anchors.getBytes(StandardCharsets.US_ASCII)));
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("test-validating-resolver").start(this::serve);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    private void serve() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                var client = packet.getSocketAddress();
                validator.sendAsync(query).whenComplete((response, failure) -> {
                    if (response == null) {
                        return; // silent, like a resolver that gave up
                    }
                    response.getHeader().setID(query.getHeader().getID());
                    response.getHeader().setFlag(Flags.RA);
                    byte[] wire = response.toWire(65535);
                    try {
                        udp.send(new DatagramPacket(wire, wire.length, client));
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                });
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // a malformed query: ignore it
            }
        }
    }

    @Override
    public void close() {
        udp.close();
    }
}
