package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadsTest {
    /** A message numbered n, sent n minutes after the epoch unless given, with its own id "<n@x>". */
    private static MessageSummary msg(long n, String subject, long... refs) {
        return msgAt(n, n, subject, refs);
    }

    private static MessageSummary msgAt(long n, long minute, String subject, long... refs) {
        StringBuilder r = new StringBuilder();
        for (long ref : refs) {
            r.append('<').append(ref).append("@x> ");
        }
        String date = "1 Jan 2020 " + minute / 60 % 24 + ":" + minute % 60 + " +0000";
        Envelope e = new Envelope(date, subject, "a@x", null, null, "b@x", null, null, null, "<" + n + "@x>",
                refs.length == 0 ? null : r.toString());
        return MessageSummary.of(n, 100, Instant.EPOCH, e);
    }

    @Test
    void referencesExampleOfRfc5256() {
        List<MessageSummary> mailbox = List.of(msg(2, "other"), msg(3, "b"), msg(4, "Re: b", 3, 6),
                msg(6, "Re: b", 3), msg(7, "Re: b", 3, 6, 44), msg(23, "Re: b", 3, 6, 4),
                msg(44, "Re: b", 3, 6), msg(96, "Re: b", 3, 6, 44, 7));
        assertThat(Threads.format(Threads.references(mailbox))).isEqualTo("(2)(3 6 (4 23)(44 7 96))");
    }

    @Test
    void aMissingParentBecomesADummyAtTheRoot() {
        List<MessageSummary> mailbox = List.of(msg(1, "Re: lost", 99), msg(2, "Re: lost", 99), msg(3, "alone"));
        assertThat(Threads.format(Threads.references(mailbox))).isEqualTo("((1)(2))(3)");
        // A dummy below a message is removed, its child moved up (step 4.B).
        List<MessageSummary> chain = List.of(msg(1, "x"), msg(2, "Re: x", 1, 50));
        assertThat(Threads.format(Threads.references(chain))).isEqualTo("(1 2)");
    }

    @Test
    void rootsWithTheSameBaseSubjectAreMerged() {
        // Step 6: a reply joins the original; two originals share a new dummy.
        assertThat(Threads.format(Threads.references(List.of(msg(1, "Hello"), msg(2, "Re: hello")))))
                .isEqualTo("(1 2)");
        assertThat(Threads.format(Threads.references(List.of(msg(1, "Hello"), msg(2, "hello")))))
                .isEqualTo("((1)(2))");
        assertThat(Threads.format(Threads.references(List.of(msg(1, ""), msg(2, "")))))
                .isEqualTo("(1)(2)");
    }

    @Test
    void loopsAndDuplicateIdsDoNotBreakIt() {
        // 1 names 2 as parent, then 2 names 1: step 1.B refuses the loop, 2 stays the root.
        List<MessageSummary> loop = List.of(msg(1, "a", 2), msg(2, "b", 1));
        assertThat(Threads.format(Threads.references(loop))).isEqualTo("(2 1)");
        Envelope dup = new Envelope("1 Jan 2020 00:05 +0000", "c", null, null, null, null, null, null, null,
                "<1@x>", null);
        List<MessageSummary> dupes = List.of(msg(1, "a"), MessageSummary.of(5, 1, Instant.EPOCH, dup));
        assertThat(Threads.format(Threads.references(dupes))).isEqualTo("(1)(5)");
    }

    @Test
    void siblingsBySentDateTiesByMailboxOrder() {
        List<MessageSummary> mailbox = List.of(msgAt(1, 0, "t"), msgAt(2, 9, "Re: t", 1), msgAt(3, 5, "Re: t", 1),
                msgAt(4, 5, "Re: t", 1));
        assertThat(Threads.format(Threads.references(mailbox))).isEqualTo("(1 (3)(4)(2))");
    }

    @Test
    void orderedSubjectExampleOfRfc5256() {
        String expected = "(166)(167)(168)(169)(172)(170)(171)(173)(174 (175)(176)(178)(181)(180))(179)"
                + "(177 (183)(182)(188)(184)(185)(186)(187)(189))(190)(191)(192)(193)(194 195)(196 (197)(198))"
                + "(199)(200 202)(201)(203)(204)(205)(206 207)(208)";
        // One subject per thread, sent dates in the order the example shows; the mailbox in number order.
        List<MessageSummary> mailbox = new ArrayList<>();
        int minute = 0;
        int thread = 0;
        for (String t : topLevel(expected)) {
            thread++;
            for (String n : t.replaceAll("[()]", " ").trim().split("\\s+")) {
                String subject = (minute == 0 || mailbox.isEmpty() ? "" : "Re: ") + "thread " + thread;
                mailbox.add(msgAt(Long.parseLong(n), minute++, subject));
            }
        }
        mailbox.sort((a, b) -> Long.compare(a.number(), b.number()));
        assertThat(Threads.format(Threads.orderedSubject(mailbox))).isEqualTo(expected);
    }

    /** The top-level thread lists of a THREAD response, e.g. "(1)(2 (3)(4))" gives "1" and "2 (3)(4)". */
    private static List<String> topLevel(String response) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < response.length(); i++) {
            char c = response.charAt(i);
            if (c == '(' && depth++ == 0) {
                start = i + 1;
            } else if (c == ')' && --depth == 0) {
                out.add(response.substring(start, i));
            }
        }
        return out;
    }
}
