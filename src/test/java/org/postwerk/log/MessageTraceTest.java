package org.postwerk.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One message's lines out of a log where two sessions and two messages interleave. */
class MessageTraceTest {
    private static final List<String> LOG = List.of(
            "10:00:00 INFO  SmtpSession session=s1 event=connect client=192.0.2.1:5000 listener=SMTP",
            "10:00:00 INFO  SmtpSession session=s2 event=connect client=192.0.2.2:6000 listener=SMTP",
            "10:00:01 INFO  SmtpSession session=s1 event=tls protocol=TLSv1.3 cipher=TLS_AES_128_GCM_SHA256",
            "10:00:01 INFO  mail rejected session=s1 client=192.0.2.1:5000 command=RCPT to=<x@example.test> reply=\"550 5.1.1 No\"",
            "10:00:02 INFO  mail received session=s1 id=Q1 client=192.0.2.1:5000 helo=\"a\" tls=TLSv1.3 auth=- from=<a@b.example> to=<u@example.test> size=10 message-id=<m1@b.example>",
            "10:00:02 INFO  mail received session=s2 id=Q2 client=192.0.2.2:6000 helo=\"c\" tls=none auth=- from=<c@d.example> to=<v@remote.example> size=10 message-id=<m2@d.example>",
            "10:00:03 INFO  mail received session=s1 id=Q3 client=192.0.2.1:5000 helo=\"a\" tls=TLSv1.3 auth=- from=<a@b.example> to=<w@remote.example> size=10 message-id=<m3@b.example>",
            "10:00:03 WARN  mail deferred id=Q2 to=<v@remote.example> relay=mx.remote.example ip=192.0.2.9 tls=none delay=1s reply=\"451 4.0.0 later\"",
            "10:00:04 INFO  SmtpSession session=s1 event=disconnect messages=2 errors=0",
            "10:05:03 INFO  mail sent id=Q2 to=<v@remote.example> relay=mx.remote.example ip=192.0.2.9 tls=none delay=301s reply=\"250 ok\"",
            "10:05:04 INFO  mail sent id=Q22 to=<z@remote.example> relay=mx.remote.example ip=192.0.2.9 tls=none delay=1s reply=\"250 ok\"");

    @Test
    void byMessageIdTheSessionAndEveryAttempt() {
        MessageTrace trace = MessageTrace.of("<m2@d.example>", LOG);

        assertThat(trace.ids()).containsExactly("Q2");
        assertThat(trace.select(LOG)).containsExactly(LOG.get(1), LOG.get(5), LOG.get(7), LOG.get(9));
    }

    @Test
    void byQueueIdWithoutTheOtherMessagesOfItsSession() {
        assertThat(MessageTrace.of("Q1", LOG).select(LOG))
                .containsExactly(LOG.get(0), LOG.get(2), LOG.get(3), LOG.get(4), LOG.get(8));
        assertThat(MessageTrace.of("m1@b.example", LOG).ids()).containsExactly("Q1"); // without the <>
    }

    @Test
    void jsonLinesToo() {
        String json = "{\"ts\":\"t\",\"level\":\"INFO\",\"logger\":\"postwerk.mail\",\"thread\":\"smtp-s9\","
                + "\"msg\":\"received session=s9 id=Q9 client=x helo=\\\"h\\\" message-id=<m9@x.example>\"}";
        String sent = "{\"ts\":\"t\",\"level\":\"INFO\",\"logger\":\"postwerk.mail\",\"thread\":\"d\","
                + "\"msg\":\"sent id=Q9 to=<a@b> relay=local\"}";
        List<String> lines = List.of(json, LOG.get(5), sent);

        assertThat(MessageTrace.of("<m9@x.example>", lines).select(lines)).containsExactly(json, sent);
    }
}
