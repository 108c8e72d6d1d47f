package org.postwerk.milter;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postwerk.config.MilterConfig;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.server.InboundChecks;
import org.postwerk.tls.TlsInfo;

/**
 * The milters of one listener, in order, around the other inbound checks (SPF, DKIM, DMARC run first; a milter
 * sees what they let through). Each SMTP session talks to each milter over its own connection, opened when the
 * client connects, as Postfix does; the first milter that refuses a step decides it.
 */
public final class Milters implements InboundChecks {
    private final InboundChecks inner;
    private final List<MilterConfig> milters;
    private final List<String> junkHeaders;
    private final String hostname;

    public Milters(InboundChecks inner, List<MilterConfig> milters, List<String> junkHeaders, String hostname) {
        this.inner = inner;
        this.milters = List.copyOf(milters);
        this.junkHeaders = List.copyOf(junkHeaders);
        this.hostname = hostname;
    }

    /** Without a connection there is nobody to talk to: the other checks only. */
    @Override
    public Transaction begin(Client client, Optional<Mailbox> sender) {
        return inner.begin(client, sender);
    }

    @Override
    public Connection connect(Peer peer) {
        Session s = new Session(peer);
        s.open();
        return s;
    }

    /** One SMTP session's conversations with the milters. */
    final class Session implements Connection {
        private final Peer peer;
        final List<Link> links = new ArrayList<>();
        /** A refusal of the connection (at connect or HELO): the answer to every later HELO and MAIL. */
        private Reply refused;

        Session(Peer peer) {
            this.peer = peer;
            milters.forEach(m -> links.add(new Link(m)));
        }

        private void open() {
            for (Link l : links) {
                try {
                    l.connection = MilterConnection.open(l.config);
                } catch (java.io.IOException e) {
                    l.fail("connect", peer.session(), null, e);
                    continue;
                }
                InetSocketAddress c = peer.client();
                byte family = c.getAddress() instanceof Inet6Address ? Protocol.FAMILY_INET6 : Protocol.FAMILY_INET;
                Packet connect = new Packet.Data().string("unknown").raw(family).u16(c.getPort())
                        .string(c.getAddress().getHostAddress()).as(Protocol.CONNECT);
                Response r = l.call("connect", peer.session(), null,
                        m -> m.step(Protocol.Stage.CONNECT, connectMacros(), connect));
                if (decide(l, r) != null) {
                    return;
                }
            }
        }

        /**
         * The answer of a connection-level step: a refusal is kept for the session; accept ends this milter's part.
         * A failed milter's tempfail waits for MAIL, as in Postfix (HELO is answered as usual).
         */
        private Reply decide(Link l, Response r) {
            switch (r) {
                case Response.Refuse f when l.failed -> {
                }
                case Response.Refuse f -> {
                    refused = f.reply();
                    return refused;
                }
                case Response.Accept a -> {
                    l.connection.close();
                    l.connection = null;
                }
                default -> {
                }
            }
            return null;
        }

        @Override
        public Reply atHelo(String name, TlsInfo tls) {
            if (refused != null) {
                return refused;
            }
            Map<String, String> macros = new LinkedHashMap<>();
            if (tls != null) {
                macros.put("{tls_version}", tls.protocol());
                macros.put("{cipher}", tls.cipherSuite());
            }
            Packet helo = new Packet.Data().utf8(name).as(Protocol.HELO);
            for (Link l : links) {
                Response r = l.call("helo", peer.session(), null, m -> m.step(Protocol.Stage.HELO, macros, helo));
                Reply reply = decide(l, r);
                if (reply != null) {
                    return reply;
                }
            }
            return null;
        }

        @Override
        public Transaction begin(Client client, Optional<Mailbox> sender, String queueId) {
            return new MilterTransaction(this, inner.begin(client, sender), client, sender, queueId);
        }

        Reply refused() {
            return refused;
        }

        String session() {
            return peer.session();
        }

        List<String> junkHeaders() {
            return junkHeaders;
        }

        @Override
        public void close() {
            for (Link l : links) {
                if (l.connection != null) {
                    l.connection.close();
                    l.connection = null;
                }
            }
        }

        private Map<String, String> connectMacros() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("j", hostname);
            m.put("{daemon_name}", hostname);
            if (peer.local() != null) {
                m.put("{daemon_addr}", peer.local().getAddress().getHostAddress());
            }
            m.put("v", "Postwerk");
            m.put("{client_addr}", peer.client().getAddress().getHostAddress());
            m.put("{client_port}", Integer.toString(peer.client().getPort()));
            m.put("{client_name}", "unknown");
            m.put("{client_ptr}", "unknown");
            m.put("_", "unknown [" + peer.client().getAddress().getHostAddress() + "]");
            return m;
        }
    }
}
