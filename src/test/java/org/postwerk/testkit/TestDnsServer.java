package org.postwerk.testkit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * An authoritative DNS server on 127.0.0.1 (UDP and TCP on the same ephemeral port) for tests, so the real
 * dnsjava code path runs. Serves zone-file text and records added one line at a time:
 * <pre>{@code
 * try (var dns = new TestDnsServer("""
 *         $ORIGIN example.org.
 *         @   IN MX 10 mx
 *         mx  IN A  192.0.2.25
 *         """)) {
 *     dns.add("example.org. 300 IN TXT \"v=spf1 mx -all\"");
 *     dns.timeout("slow.example.org");
 *     var resolver = new DnsjavaResolver(List.of(dns.address()), ...);
 * }
 * }</pre>
 * UDP answers larger than the client's limit (512 bytes, or its EDNS size) are sent empty with the TC bit set
 * (RFC 1035 §4.2.1, RFC 6891 §6.2.5) so the client retries over TCP (RFC 7766). Serves a {@link SignedZone}
 * like a DNSSEC-aware authoritative server: signatures and NSEC proofs only to queries that set DO.
 */
public final class TestDnsServer implements AutoCloseable {
    private static final int CLASSIC_UDP_LIMIT = 512;

    private final ZoneData zone = new ZoneData();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final AtomicInteger udpQueries = new AtomicInteger();
    private final AtomicInteger tcpQueries = new AtomicInteger();

    public TestDnsServer() {
        this("");
    }

    /** Starts serving {@code zoneText} (may be empty) right away. */
    public TestDnsServer(String zoneText) {
        if (!zoneText.isBlank()) {
            zone.load(zoneText);
        }
        DatagramSocket u = null;
        ServerSocket t = null;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // UDP and TCP must share one port number; another test may take the TCP twin, so try a few times.
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            try {
                u = new DatagramSocket(new InetSocketAddress(loopback, 0));
                t = new ServerSocket(u.getLocalPort(), 50, loopback);
            } catch (BindException e) {
                if (u != null) {
                    u.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (t == null) {
            throw new IllegalStateException("no free UDP+TCP port pair on loopback");
        }
        this.udp = u;
        this.tcp = t;
        Thread.ofVirtual().name("test-dns-udp").start(this::serveUdp);
        Thread.ofVirtual().name("test-dns-tcp").start(this::serveTcp);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    /** Adds zone-file text; names must be absolute unless the text sets {@code $ORIGIN}. Returns this. */
    public TestDnsServer add(String zoneText) {
        zone.load(zoneText);
        return this;
    }

    /** Serves a signed zone's records, signatures and NSEC chain. Returns this. */
    public TestDnsServer add(SignedZone signed) {
        signed.records().forEach(zone::add);
        return this;
    }

    /** Adds a record built in code (for data that is awkward as zone text). Returns this. */
    public TestDnsServer add(Record record) {
        zone.add(record);
        return this;
    }

    /** Never answers queries of this one type ({@link org.xbill.DNS.Type} constants) for this name. */
    public TestDnsServer timeout(String name, int type) {
        zone.fail(name, type, ZoneData.Failure.TIMEOUT);
        return this;
    }

    /** Answers SERVFAIL for this name (and for chains that pass through it). */
    public TestDnsServer serverFailure(String name) {
        zone.fail(name, ZoneData.Failure.SERVFAIL);
        return this;
    }

    /** Never answers queries for this name. */
    public TestDnsServer timeout(String name) {
        zone.fail(name, ZoneData.Failure.TIMEOUT);
        return this;
    }

    /** Queries received over UDP so far (lets cache tests see whether the network was used). */
    public int udpQueries() {
        return udpQueries.get();
    }

    public int tcpQueries() {
        return tcpQueries.get();
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                udpQueries.incrementAndGet();
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = answer(query);
                if (response == null) {
                    continue;
                }
                byte[] wire = response.toWire();
                if (wire.length > udpLimit(query)) {
                    wire = truncated(query).toWire();
                }
                udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // A malformed query: ignore it like a real server would.
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                Thread.ofVirtual().name("test-dns-tcp-conn").start(() -> serveConnection(s));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** RFC 1035 §4.2.2: two-byte length prefix; several queries may share one connection (RFC 7766 §6.2.1). */
    private void serveConnection(Socket socket) {
        try (socket;
             DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] data = new byte[in.readUnsignedShort()];
                in.readFully(data);
                tcpQueries.incrementAndGet();
                Message response = answer(new Message(data));
                if (response == null) {
                    continue;
                }
                byte[] wire = response.toWire();
                out.writeShort(wire.length);
                out.write(wire);
                out.flush();
            }
        } catch (IOException e) {
            // Client closed the connection, or we were closed.
        }
    }

    private static boolean dnssecOk(Message query) {
        OPTRecord opt = query.getOPT();
        return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    }

    private static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? CLASSIC_UDP_LIMIT : Math.max(CLASSIC_UDP_LIMIT, opt.getPayloadSize());
    }

    private static Message truncated(Message query) {
        Message m = reply(query);
        m.getHeader().setFlag(Flags.TC);
        return m;
    }

    private static Message reply(Message query) {
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            m.getHeader().setFlag(Flags.RD);
        }
        if (query.getQuestion() != null) {
            m.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return m;
    }

    /** The response, or null to stay silent (simulated timeout). */
    private Message answer(Message query) {
        Message m = reply(query);
        Record question = query.getQuestion();
        if (question == null) {
            m.getHeader().setRcode(Rcode.FORMERR);
            return m;
        }
        ZoneData.Lookup lookup = zone.lookup(question.getName(), question.getType());
        switch (lookup.outcome()) {
            case TIMEOUT -> {
                return null;
            }
            case SERVFAIL -> m.getHeader().setRcode(Rcode.SERVFAIL);
            case NXDOMAIN -> m.getHeader().setRcode(Rcode.NXDOMAIN);
            case FOUND, NODATA -> m.getHeader().setRcode(Rcode.NOERROR);
        }
        lookup.answers().forEach(r -> m.addRecord(r, Section.ANSWER));
        if (lookup.soa() != null) {
            m.addRecord(lookup.soa(), Section.AUTHORITY);
        }
        if (dnssecOk(query)) {
            // RFC 4035 §3.1: with DO set, signatures of every RRset sent, and the NSEC proof of a negative answer.
            zone.signatures(lookup.answers()).forEach(r -> m.addRecord(r, Section.ANSWER));
            if (lookup.soa() != null) {
                List<Record> proof = new ArrayList<>(List.of(lookup.soa()));
                proof.addAll(zone.denial(question.getName(), lookup.outcome() == ZoneData.Outcome.NXDOMAIN));
                proof.stream().skip(1).forEach(r -> m.addRecord(r, Section.AUTHORITY));
                zone.signatures(proof).forEach(r -> m.addRecord(r, Section.AUTHORITY));
            }
            m.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        }
        return m;
    }
}
