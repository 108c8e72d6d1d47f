package org.postwerk.milter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postwerk.config.MilterConfig;

/**
 * A milter on loopback, written from the protocol (a peer of the client, not a stand-in for it): it negotiates
 * with the version and flags it is given, records every command it gets as a line ({@code "R <a@b>"},
 * {@code "L Subject= hi"}, {@code "B 65535"}), and answers each with what the test's {@link Script} says.
 */
final class TestMilter implements AutoCloseable {
    /** The milter's answer to one command: packets to send (none for "no reply"), or null to close the socket. */
    interface Script {
        List<Packet> answer(byte command, Packet in) throws IOException;
    }

    static final Script CONTINUE_ALL = (c, p) -> List.of(Packet.of(Protocol.CONTINUE));

    final List<String> seen = new CopyOnWriteArrayList<>();
    final List<String> macros = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final int version;
    private final int actions;
    private final int protocol;
    private final Script script;

    TestMilter(int version, int actions, int protocol, Script script) throws IOException {
        this.version = version;
        this.actions = actions;
        this.protocol = protocol;
        this.script = script;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    MilterConfig config(String name, MilterConfig.DefaultAction action) {
        return new MilterConfig(name, new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                action, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    private void accept() {
        try {
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> serve(s));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            while (true) {
                Packet p = Packet.read(in, Protocol.MAX_PACKET);
                if (p.command() == Protocol.OPTNEG) {
                    new Packet.Data().integer(version).integer(actions).integer(protocol).as(Protocol.OPTNEG)
                            .writeTo(out);
                    out.flush();
                    continue;
                }
                if (p.command() == Protocol.MACRO) {
                    macros.add((char) p.data()[0] + " " + String.join(",", p.strings(1)));
                    continue;
                }
                seen.add(describe(p));
                if (p.command() == Protocol.QUIT) {
                    return;
                }
                if (p.command() == Protocol.ABORT) {
                    continue;
                }
                List<Packet> answer = script.answer(p.command(), p);
                if (answer == null) {
                    return; // the milter dies
                }
                for (Packet a : answer) {
                    a.writeTo(out);
                }
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static String describe(Packet p) {
        char c = (char) p.command();
        return switch (c) {
            case 'B' -> "B " + p.data().length;
            case 'L' -> "L " + p.strings(0).get(0) + "=" + p.strings(0).get(1);
            case 'C' -> "C " + p.strings(0).get(0);
            default -> (c + " " + String.join(" ", p.strings(0))).strip();
        };
    }

    static Packet reply(String text) {
        return new Packet.Data().string(text).as(Protocol.REPLYCODE);
    }

    static Packet header(byte command, int index, String name, String value) {
        Packet.Data d = new Packet.Data();
        if (command != Protocol.ADDHEADER) {
            d.integer(index);
        }
        return d.string(name).string(value).as(command);
    }

    static Packet text(byte command, String s) {
        return new Packet(command, (s + "\0").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
