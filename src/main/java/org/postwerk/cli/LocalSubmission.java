package org.postwerk.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.postwerk.config.Config;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.smtp.client.ClientTimeouts;
import org.postwerk.smtp.client.MailRequest;
import org.postwerk.smtp.client.SmtpClient;
import org.postwerk.smtp.client.TransactionReplies;

/**
 * sendmail's way in when the spool is not the caller's to write (an ordinary user on an installed system: the
 * data folder is the {@code postwerk} user's, 0700, and the configuration root:postwerk 0640): one SMTP
 * transaction to the server's own {@code smtp} listener over loopback. The server treats it as any client
 * from loopback (relaying only because loopback is in {@code relay_networks}, as by default), so this opens
 * nothing that a local {@code telnet localhost 25} does not; the caller's user name goes into the Received
 * field sendmail writes, as Postfix's pickup does.
 *
 * <p>Why not a setgid helper like Postfix's postdrop: a JVM cannot be made setgid safely (its launcher reads
 * JDK_JAVA_OPTIONS and friends from the environment), and a second, native program is a second thing to ship
 * and audit. Why not a Unix socket with SO_PEERCRED: it would name the caller reliably, but needs a listener
 * of its own and a folder outside the 0700 data folder; loopback SMTP needs neither and works the same under
 * {@code ./postwerk serve}.
 *
 * @param address where the server listens for SMTP, on loopback
 */
record LocalSubmission(InetSocketAddress address) {
    /** The packaged configuration's smtp port, when the configuration cannot be read. */
    static final int DEFAULT_PORT = 25;

    /** The first smtp listener of the configuration, reached over loopback; port 25 without one. */
    static LocalSubmission of(Config config) {
        for (ListenerConfig l : config.listeners()) {
            if (l.role() == Role.SMTP) {
                InetAddress a = l.address().getAddress();
                // A wildcard listener is reached on loopback; a specific address as it is.
                InetAddress to = a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
                return new LocalSubmission(new InetSocketAddress(to, l.address().getPort()));
            }
        }
        return unconfigured();
    }

    /** When the configuration is not readable by the caller: the installed system's port 25 on loopback. */
    static LocalSubmission unconfigured() {
        return new LocalSubmission(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
    }

    /** One transaction, with the message as it goes on the wire. */
    record Transaction(String reversePath, List<String> recipients, BodyType body, boolean utf8, byte[] content) {}

    /** Makes the transaction once the server's greeting has named its host (ours, when the configuration is unread). */
    interface Composer {
        Transaction compose(String serverHostname) throws AddressParser.SyntaxError;
    }

    /**
     * Sends one message. Exit status as sendmail(8): 0, 75 (EX_TEMPFAIL) when the server is down or says 4xx,
     * 69 (EX_UNAVAILABLE) when it refuses with 5xx; the reply goes to standard error.
     */
    int send(Composer composer) throws IOException {
        SmtpClient client;
        try {
            client = SmtpClient.connect(address, "localhost", new ClientSettings("localhost", ClientTimeouts.RFC5321));
        } catch (IOException e) {
            System.err.println("sendmail: the spool is not writable by this user and the server does not answer on "
                    + address + " (" + e.getMessage() + "); nothing was sent");
            return 75;
        }
        Path file = null;
        try (client) {
            Reply greeting = client.greeting();
            if (!greeting.isPositive()) {
                return refused(greeting);
            }
            Reply hello = client.hello();
            if (!hello.isPositive()) {
                return refused(hello);
            }
            String first = greeting.lines().isEmpty() ? "" : greeting.lines().getFirst().strip();
            String host = first.isEmpty() ? "localhost" : first.split("\\s+", 2)[0];
            Transaction t;
            try {
                t = composer.compose(host);
            } catch (AddressParser.SyntaxError e) {
                System.err.println("sendmail: bad address: " + e.getMessage());
                return 64; // EX_USAGE
            }
            file = Files.createTempFile("postwerk-sendmail", ".eml");
            Files.write(file, t.content());
            List<MailRequest.Rcpt> rcpts = t.recipients().stream().map(r -> new MailRequest.Rcpt(r, Set.of(), null)).toList();
            MailRequest req = new MailRequest(t.reversePath(), t.content().length, t.body(), t.utf8(), null, null, rcpts);
            TransactionReplies replies = client.send(req, file);
            for (int i = 0; i < rcpts.size(); i++) {
                Reply r = replies.decisive(i, req).reply();
                if (!r.isPositive()) {
                    return refused(r);
                }
            }
            return 0;
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    private int refused(Reply r) {
        System.err.println("sendmail: the server at " + address + " refused the message: " + r.wire().strip());
        return r.isPermanent() ? 69 : 75;
    }
}
