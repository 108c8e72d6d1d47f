package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Route;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/**
 * What RCPT hands on with each recipient: its route, and the NOTIFY we honour. Success and delay reports to a
 * sender of another domain only for a trusted client (DSN reflection), failures always.
 */
class DsnRequestTest {
    @TempDir
    Path data;

    private static void send(TestServer server, String from, String rcpt, String notify) throws Exception {
        try (SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.example.net").expect("250 .*");
            s.send("MAIL FROM:<" + from + ">").expect("250 .*").send("RCPT TO:<" + rcpt + "> NOTIFY=" + notify)
                    .expect("250 .*");
            s.send("DATA").expect("354 .*").raw("Subject: dsn\r\n\r\nbody\r\n.\r\n").expect("250 .*");
        }
    }

    private static Recipient queued(TestServer server) {
        assertThat(server.relayed()).hasSize(1);
        return server.relayed().getFirst().envelope().recipients().getFirst();
    }

    @Test
    void aStrangerGetsNoSuccessReportForAForeignSenderSoLocalMailGoesStraightIn() throws Exception {
        try (TestServer server = new TestServer(data).start()) {
            send(server, "victim@example.net", "alice@example.org", "SUCCESS,DELAY");
            assertThat(server.relayed()).as("not queued for a success report").isEmpty();
            assertThat(server.inbox("alice@example.org")).hasSize(1);
        }
    }

    @Test
    void aStrangersFailureReportsStayButNotTheOthers() throws Exception {
        try (TestServer server = new TestServer(data).start()) {
            server.directory.forward("list@example.org", new Mailbox("friend", "elsewhere.example"));
            send(server, "victim@example.net", "list@example.org", "SUCCESS,FAILURE,DELAY");
            Recipient r = queued(server);
            assertThat(r.notifyOn()).containsExactly(Notify.FAILURE);
            assertThat(r.route()).isEqualTo(Route.local(List.of(),
                    List.of(new Mailbox("friend", "elsewhere.example"))));
        }
    }

    @Test
    void aRelayNetworkClientOrALocalSenderGetsWhatItAsks() throws Exception {
        try (TestServer server = new TestServer(data).relayNetworks("127.0.0.0/8").start()) {
            send(server, "someone@example.net", "alice@example.org", "SUCCESS");
            assertThat(queued(server).notifyOn()).containsExactly(Notify.SUCCESS);
            assertThat(queued(server).route()).isEqualTo(Route.local(List.of("alice@example.org"), List.of()));
        }
        try (TestServer server = new TestServer(data).start()) {
            send(server, "bob@example.org", "alice@example.org", "SUCCESS");
            assertThat(queued(server).notifyOn()).containsExactly(Notify.SUCCESS);
        }
    }

    @Test
    void theRule() {
        assertThat(Recipient.honoured(Set.of(Notify.SUCCESS), true)).containsExactly(Notify.SUCCESS);
        assertThat(Recipient.honoured(Set.of(), true)).isEmpty();
        assertThat(Recipient.honoured(Set.of(), false)).containsExactly(Notify.FAILURE);
        assertThat(Recipient.honoured(Set.of(Notify.SUCCESS, Notify.DELAY), false)).containsExactly(Notify.NEVER);
        assertThat(Recipient.honoured(Set.of(Notify.SUCCESS, Notify.FAILURE), false)).containsExactly(Notify.FAILURE);
        assertThat(Recipient.honoured(Set.of(Notify.NEVER), false)).containsExactly(Notify.NEVER);
    }
}
