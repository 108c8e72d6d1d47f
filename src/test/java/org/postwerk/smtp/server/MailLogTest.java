package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Limits;
import org.postwerk.config.Role;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/** The session's lines in the operator mail log: one {@code rejected} line per refusal, {@code received} lines. */
class MailLogTest {
    @TempDir
    Path data;

    private static SmtpScript hello(SmtpScript s) throws Exception {
        s.expect("220 .*").send("EHLO client.example.net");
        s.reply();
        return s;
    }

    @Test
    void everyRefusalOfTheTransactionHasARejectedLine() throws Exception {
        try (LogCapture log = new LogCapture("postwerk.mail");
             TestServer server = new TestServer(data).start(Role.SMTP, Role.SUBMISSION)) {
            try (SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSION))) {
                hello(s).send("MAIL FROM:<log-530@example.org>").expect("530 .*");
            }
            try (SmtpScript s = SmtpScript.connect(server.address(Role.SMTP))) {
                hello(s).send("MAIL FROM:<log-554@example.net>").expect("250 .*");
                s.send("RCPT TO:<nobody@example.org>").expect("550 .*");
                s.send("DATA").expect("554 .*");
                s.send("RCPT TO:<alice@example.org>").expect("250 .*");
                s.send("DATA").expect("354 .*").raw("Subject: cr\r\rx\r\n.\r\n").expect("550 .*");
            }
            assertThat(log.linesWith("log-530@")).singleElement().asString()
                    .matches("rejected session=\\w+ client=127\\.0\\.0\\.1:\\d+ command=MAIL from=<log-530@example\\.org>"
                            + " reply=\"530 5\\.7\\.0 Authentication required\"");
            assertThat(log.linesWith("log-554@")).satisfiesExactly(
                    rcpt -> assertThat(rcpt).matches("rejected session=\\w+ client=\\S+ command=RCPT"
                            + " from=<log-554@example\\.net> to=<nobody@example\\.org> reply=\"550 5\\.1\\.1 .*\""),
                    data -> assertThat(data).matches("rejected session=\\w+ client=\\S+ command=DATA"
                            + " from=<log-554@example\\.net> reply=\"554 5\\.5\\.1 No valid recipients\""),
                    content -> assertThat(content).matches("rejected session=\\w+ client=\\S+ command=DATA"
                            + " from=<log-554@example\\.net> id=\\w+ size=16 reply=\"550 5\\.5\\.2 .*\""));
        }
    }

    @Test
    void tooManyErrorsIsARejectedLine() throws Exception {
        Limits two = new Limits(1 << 20, 100, 512, 1000, 100, 20, 2, 3, Duration.ZERO);
        try (LogCapture log = new LogCapture("postwerk.mail");
             TestServer server = new TestServer(data).limits(two).start(); SmtpScript s = server.connect()) {
            hello(s).send("MAIL FROM:<a@example.net> FOO=1").expect("555 .*");
            s.send("VRFY").expect("501 .*").expect("421 4\\.7\\.0 Too many errors, closing connection");
            assertThat(s.closedByServer()).isTrue();
            String session = log.linesWith("Too many errors").getFirst().split(" ")[1];
            // The 555 to MAIL is a refusal; the 501 to VRFY is not one of mail, only an error; the 421 ends it.
            assertThat(log.linesWith(session + " ")).satisfiesExactly(
                    mail -> assertThat(mail).matches("rejected " + session + " client=\\S+ command=MAIL reply=\"555 .*\""),
                    end -> assertThat(end).matches("rejected " + session + " client=\\S+ command=VRFY"
                            + " reply=\"421 4\\.7\\.0 Too many errors, closing connection\""));
        }
    }

    @Test
    void theReceivedLineNamesTheMessageId() throws Exception {
        try (LogCapture log = new LogCapture("postwerk.mail");
             TestServer server = new TestServer(data).start(Role.SMTP, Role.SUBMISSION)) {
            try (SmtpScript s = server.connect()) {
                hello(s).send("MAIL FROM:<log-mid@example.net>").expect("250 .*");
                s.send("RCPT TO:<alice@example.org>").expect("250 .*").send("DATA").expect("354 .*")
                        .raw("Message-ID:\r\n <folded.1@client.example>\r\nSubject: x\r\n\r\nx\r\n.\r\n").expect("250 .*");
            }
            assertThat(log.linesWith("log-mid@")).singleElement().asString()
                    .matches("received session=\\w+ id=\\w+ client=\\S+ helo=\"client\\.example\\.net\" tls=none auth=-"
                            + " from=<log-mid@example\\.net> to=<alice@example\\.org> size=\\d+"
                            + " message-id=<folded\\.1@client\\.example>");
        }
    }
}
