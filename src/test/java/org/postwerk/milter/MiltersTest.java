package org.postwerk.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postwerk.milter.Protocol.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.MilterConfig;
import org.postwerk.smtp.server.InboundChecks;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/** Sessions through milters that run on loopback ({@link TestMilter}), transcript style. */
class MiltersTest {
    private static final int ALL_ACTIONS = F_ADDHDRS | F_CHGBODY | F_ADDRCPT | F_DELRCPT | F_CHGHDRS | F_QUARANTINE;
    private static final String MESSAGE = "Subject: hello\r\nX-Old: 1\r\nX-Old: 2\r\n\r\nbody line\r\n";

    @TempDir
    Path data;

    private TestServer server(MilterConfig... milters) throws IOException {
        return new TestServer(data).checks(new Milters(InboundChecks.NONE, List.of(milters),
                List.of("X-Spam", "X-Spam-Flag"), "mx.example.org")).start();
    }

    private static SmtpScript mailTo(SmtpScript s, String... rcpts) throws IOException {
        s.expect("220 .*").send("EHLO client.example.net").expect("250 .*")
                .send("MAIL FROM:<sender@example.net>").expect("250 .*");
        for (String r : rcpts) {
            s.send("RCPT TO:<" + r + ">").expect("250 .*");
        }
        return s;
    }

    private static SmtpScript data(SmtpScript s, String content) throws IOException {
        return s.send("DATA").expect("354 .*").raw(content + ".\r\n");
    }

    private List<Path> junk(String local) throws IOException {
        Path dir = data.resolve("mail/example.org").resolve(local).resolve("Maildir/.Junk/new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void everyStepReachesTheMilterInOrderWithItsMacros() throws Exception {
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, TestMilter.CONTINUE_ALL);
             TestServer server = server(m.config("one", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 2\\.0\\.0 OK queued as (\\w+)");
            s.send("QUIT").expect("221 .*");
            assertThat(server.onlyMessage("alice@example.org")).endsWith(MESSAGE);
            awaitSeen(m, "Q");
            assertThat(m.seen).containsExactly("C unknown", "H client.example.net", "M <sender@example.net>",
                    "R <alice@example.org>", "T", "L Subject=hello", "L X-Old=1", "L X-Old=2", "N", "B 11", "E", "Q");
            assertThat(m.macros).anyMatch(x -> x.startsWith("C j,mx.example.org,{daemon_name},mx.example.org"))
                    .anyMatch(x -> x.matches("M i,\\w+,\\{mail_addr},sender@example.net.*"))
                    .anyMatch(x -> x.matches("R i,\\w+,\\{rcpt_addr},alice@example.org.*"));
        }
    }

    @Test
    void aRefusedRecipientIsRefusedAloneAndTheMilterOwnReplyEndsTheMessage() throws Exception {
        TestMilter.Script script = (c, p) -> switch (c) {
            case RCPT -> p.strings(0).get(0).contains("bob") ? List.of(Packet.of(REJECT)) : List.of(Packet.of(CONTINUE));
            case BODYEOB -> List.of(TestMilter.reply("554 5.7.1 Gtube pattern"));
            default -> List.of(Packet.of(CONTINUE));
        };
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, script);
             TestServer server = server(m.config("rspamd", MilterConfig.DefaultAction.TEMPFAIL));
             LogCapture log = new LogCapture("postwerk.milter");
             SmtpScript s = server.connect()) {
            mailTo(s, "alice@example.org").send("RCPT TO:<bob@example.org>").expect("550 5\\.7\\.1 Command rejected");
            data(s, MESSAGE).expect("554 5\\.7\\.1 Gtube pattern");
            assertThat(server.inbox("alice@example.org")).isEmpty();
            assertThat(log.lines()).anyMatch(l -> l.contains("milter=rspamd stage=rcpt action=reject"))
                    .anyMatch(l -> l.matches(".*id=\\w+ milter=rspamd stage=eom action=replycode reply=\"554 5.7.1 Gtube pattern\".*"));
        }
    }

    @Test
    void aTwoHundredReplyCodeCannotTurnARefusalIntoAnAcceptance() throws Exception {
        TestMilter.Script script = (c, p) -> c == BODYEOB ? List.of(TestMilter.reply("250 2.0.0 fine"))
                : List.of(Packet.of(CONTINUE));
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, script);
             TestServer server = server(m.config("odd", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("451 4\\.7\\.1 .*");
            assertThat(server.inbox("alice@example.org")).isEmpty();
        }
    }

    @Test
    void headerChangesAndANewBodyAreWhatIsStored() throws Exception {
        TestMilter.Script script = (c, p) -> c != BODYEOB ? List.of(Packet.of(CONTINUE)) : List.of(
                TestMilter.header(ADDHEADER, 0, "X-Added", "yes\n\tfolded"),
                TestMilter.header(INSHEADER, 0, "Authentication-Results", "test; dkim=none"),
                TestMilter.header(CHGHEADER, 1, "Subject", "changed"),
                TestMilter.header(CHGHEADER, 2, "X-Old", ""),
                new Packet(REPLBODY, "new body\n".getBytes()),
                new Packet(REPLBODY, "second part\r\n".getBytes()),
                Packet.of(CONTINUE));
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, script);
             TestServer server = server(m.config("edit", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
            assertThat(server.onlyMessage("alice@example.org")).endsWith("\r\nAuthentication-Results: test; dkim=none\r\n"
                    + "Subject: changed\r\nX-Old: 1\r\nX-Added: yes\r\n\tfolded\r\n\r\nnew body\r\nsecond part\r\n");
        }
    }

    @Test
    void withLeadingSpaceTheMilterSeesAndGivesTheSpaceItself() throws Exception {
        TestMilter.Script script = (c, p) -> c != BODYEOB ? List.of(Packet.of(CONTINUE))
                : List.of(TestMilter.header(ADDHEADER, 0, "X-Tight", "v"), Packet.of(ACCEPT));
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, P_HDR_LEADSPC, script);
             TestServer server = server(m.config("space", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
            assertThat(m.seen).contains("L Subject= hello");
            assertThat(server.onlyMessage("alice@example.org")).contains("\r\nX-Tight:v\r\n\r\nbody line");
        }
    }

    @Test
    void stepsTheMilterDoesNotWantAreNotSentAndUnansweredOnesAreNotAwaited() throws Exception {
        // A milter that answered a header or a connect it said it would not answer would desynchronise us.
        TestMilter.Script script = (c, p) -> c == HEADER || c == CONNECT || c == BODY ? List.of()
                : List.of(Packet.of(CONTINUE));
        int flags = P_NOHELO | P_NORCPT | P_NR_HDR | P_NR_CONN | P_NR_BODY | P_NODATA;
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, flags, script);
             TestServer server = server(m.config("lean", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
            assertThat(m.seen).containsExactly("C unknown", "M <sender@example.net>", "L Subject=hello", "L X-Old=1",
                    "L X-Old=2", "N", "B 11", "E");
        }
    }

    @Test
    void aVersionTwoMilterGetsNoDataStep() throws Exception {
        try (TestMilter m = new TestMilter(2, F_ADDHDRS, 0, TestMilter.CONTINUE_ALL);
             TestServer server = server(m.config("old", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
            assertThat(m.seen).doesNotContain("T").contains("E");
        }
    }

    @Test
    void aSpamHeaderOrAQuarantineDeliversToJunk() throws Exception {
        TestMilter.Script script = (c, p) -> c != BODYEOB ? List.of(Packet.of(CONTINUE))
                : List.of(TestMilter.header(ADDHEADER, 0, "X-Spam", "Yes"), Packet.of(CONTINUE));
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, script);
             TestServer server = server(m.config("rspamd", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
            assertThat(server.inbox("alice@example.org")).isEmpty();
            assertThat(junk("alice")).hasSize(1);
        }
        TestMilter.Script quarantine = (c, p) -> c != BODYEOB ? List.of(Packet.of(CONTINUE))
                : List.of(TestMilter.text(QUARANTINE, "suspicious"), Packet.of(ACCEPT));
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, quarantine);
             TestServer server = server(m.config("q", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "bob@example.org"), MESSAGE).expect("250 .*");
            assertThat(server.inbox("bob@example.org")).isEmpty();
            assertThat(junk("bob")).hasSize(1);
        }
    }

    @Test
    void recipientsAddedAndDeletedChangeTheEnvelope() throws Exception {
        TestMilter.Script script = (c, p) -> c != BODYEOB ? List.of(Packet.of(CONTINUE)) : List.of(
                TestMilter.text(ADDRCPT, "<bob@example.org>"), TestMilter.text(DELRCPT, "<alice@example.org>"),
                Packet.of(CONTINUE));
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, script);
             TestServer server = server(m.config("route", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
            assertThat(server.inbox("alice@example.org")).isEmpty();
            assertThat(server.onlyMessage("bob@example.org")).endsWith(MESSAGE);
        }
    }

    @Test
    void aDiscardIsTwoFiftyWithNothingStored() throws Exception {
        TestMilter.Script script = (c, p) -> c == RCPT ? List.of(Packet.of(DISCARD)) : List.of(Packet.of(CONTINUE));
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, script);
             TestServer server = server(m.config("drop", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 2\\.0\\.0 .*");
            assertThat(server.inbox("alice@example.org")).isEmpty();
            assertThat(m.seen).doesNotContain("E");
        }
    }

    @Test
    void aMilterThatDiesMidBodyGetsItsDefaultAction() throws Exception {
        TestMilter.Script dies = (c, p) -> c == BODY ? null : List.of(Packet.of(CONTINUE));
        String big = "Subject: big\r\n\r\n" + "x".repeat(998) .concat("\r\n").repeat(200);
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, dies);
             TestServer server = server(m.config("dies", MilterConfig.DefaultAction.TEMPFAIL));
             LogCapture log = new LogCapture("postwerk.milter");
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), big).expect("451 4\\.7\\.1 .*");
            assertThat(server.inbox("alice@example.org")).isEmpty();
            assertThat(log.lines()).anyMatch(l -> l.contains("milter=dies stage=eom event=milter-failed")
                    && l.contains("action=tempfail"));
            s.send("MAIL FROM:<sender@example.net>").expect("451 4\\.7\\.1 .*"); // the milter stays failed
        }
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, dies);
             TestServer server = server(m.config("dies", MilterConfig.DefaultAction.ACCEPT));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), big).expect("250 2\\.0\\.0 OK queued as \\w+");
            assertThat(server.onlyMessage("alice@example.org")).endsWith(big); // 250 only once it is stored
        }
    }

    @Test
    void anUnreachableMilterAppliesItsDefaultActionAtMail() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        MilterConfig down = new MilterConfig("down", new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort),
                MilterConfig.DefaultAction.TEMPFAIL, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (TestServer server = server(down); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.example.net").expect("250 .*")
                    .send("MAIL FROM:<sender@example.net>").expect("451 4\\.7\\.1 .*");
        }
        MilterConfig lenient = new MilterConfig("down", down.address(), MilterConfig.DefaultAction.ACCEPT,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (TestServer server = server(lenient); SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
        }
    }

    @Test
    void aSilentMilterTimesOutIntoItsDefaultAction() throws Exception {
        TestMilter.Script slow = (c, p) -> {
            if (c == BODYEOB) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return List.of(Packet.of(CONTINUE));
        };
        try (TestMilter m = new TestMilter(6, ALL_ACTIONS, 0, slow);
             TestServer server = server(m.config("slow", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            long start = System.nanoTime();
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("451 4\\.7\\.1 .*");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(4_500));
        }
    }

    @Test
    void milterOrderHoldsAndTheSecondSeesTheFirstsChanges() throws Exception {
        TestMilter.Script adds = (c, p) -> c != BODYEOB ? List.of(Packet.of(CONTINUE))
                : List.of(TestMilter.header(ADDHEADER, 0, "X-First", "1"), Packet.of(CONTINUE));
        try (TestMilter first = new TestMilter(6, ALL_ACTIONS, 0, adds);
             TestMilter second = new TestMilter(6, ALL_ACTIONS, 0, TestMilter.CONTINUE_ALL);
             TestServer server = server(first.config("a", MilterConfig.DefaultAction.TEMPFAIL),
                     second.config("b", MilterConfig.DefaultAction.TEMPFAIL));
             SmtpScript s = server.connect()) {
            data(mailTo(s, "alice@example.org"), MESSAGE).expect("250 .*");
            assertThat(second.seen).contains("L X-First=1");
        }
    }

    private static void awaitSeen(TestMilter m, String line) throws InterruptedException {
        for (int i = 0; i < 100 && !m.seen.contains(line); i++) {
            Thread.sleep(20);
        }
    }
}
