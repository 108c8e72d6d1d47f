package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checks and edits between the client's content and the draft, byte by byte and across writes. */
class MessageWriterTest {
    private final ByteArrayOutputStream target = new ByteArrayOutputStream();
    private final ByteArrayOutputStream observer = new ByteArrayOutputStream();
    /** Field name and unfolded value of every field the writer asked about. */
    private final List<String> asked = new ArrayList<>();
    private final Set<String> seenAtAdditions = new TreeSet<>();

    /** Drops fields named x-drop; adds "X-Added: yes" at the end of the header section. */
    private final MessageWriter.Edits edits = new MessageWriter.Edits() {
        @Override
        public boolean drop(String name, String value) {
            asked.add(name + "=" + value);
            return name.equals("x-drop");
        }

        @Override
        public byte[] additions(Set<String> seen) {
            seenAtAdditions.addAll(seen);
            return "X-Added: yes\r\n".getBytes(StandardCharsets.US_ASCII);
        }
    };

    private MessageWriter writer(long maxSize, int maxLine, MessageWriter.Lines lines) {
        return new MessageWriter(target, observer, maxSize, maxLine, lines, edits);
    }

    /** Writes {@code text} in pieces of {@code step} bytes (1: byte by byte), then finishes. */
    private static void write(MessageWriter w, String text, int step) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += step) {
            w.write(b, i, Math.min(step, b.length - i));
        }
        w.finish();
    }

    private String stored() {
        return target.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1000})
    void aCleanMessagePassesWithTheAdditionsBeforeTheBlankLine(int step) throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(w, "Subject: hi\r\nFrom: a@example.net\r\n\r\nbody\r\n", step);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.NONE);
        assertThat(stored()).isEqualTo("Subject: hi\r\nFrom: a@example.net\r\nX-Added: yes\r\n\r\nbody\r\n");
        assertThat(observer.toString(StandardCharsets.UTF_8)).isEqualTo("Subject: hi\r\nFrom: a@example.net\r\n\r\nbody\r\n");
        assertThat(seenAtAdditions).containsExactly("from", "subject");
        assertThat(w.size()).isEqualTo(42);
    }

    @Test
    void theSizeLimitCountsEveryOctetAndStopsTheDraft() throws IOException {
        MessageWriter w = writer(30, 1000, MessageWriter.Lines.STRICT);
        write(w, "Subject: big\r\n\r\n" + "x".repeat(100) + "\r\n", 5);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.TOO_BIG);
        assertThat(w.size()).isEqualTo(118); // all of it was read, so the session stays in step with the client
        // what passed before the limit (16 + 14 octets, and our addition) and nothing after it
        assertThat(stored()).isEqualTo("Subject: big\r\nX-Added: yes\r\n\r\n" + "x".repeat(14));
    }

    @Test
    void atTheLimitIsNotOver() throws IOException {
        MessageWriter w = writer(16, 1000, MessageWriter.Lines.STRICT);
        write(w, "Subject: x\r\n\r\nab", 1);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Subject: x\r\n\r\nbare\nlf\r\n", "Subject: x\n\r\nbody\r\n", "Subject: x\r\n\r\nbare\rcr\r\n",
            "Subject: x\r\n\r\nends in cr\r"})
    void strictRefusesABareCrOrLf(String content) throws IOException {
        for (int step : new int[] {1, 4, 1000}) {
            target.reset();
            MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
            write(w, content, step);
            assertThat(w.problem()).as("step %d", step).isEqualTo(MessageWriter.Problem.BARE_LINE_END);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 1000})
    void normalizeStoresABareLfAsCrLf(int step) throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.NORMALIZE_LF);
        write(w, "Subject: lf\nX-Drop: gone\n\nline one\r\nline two\n\n.\n", step);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.NONE);
        assertThat(stored()).isEqualTo("Subject: lf\r\nX-Added: yes\r\n\r\nline one\r\nline two\r\n\r\n.\r\n");
        // the checks see the content with the line ends it is stored with (and the fields that are dropped)
        assertThat(observer.toString(StandardCharsets.UTF_8))
                .isEqualTo("Subject: lf\r\nX-Drop: gone\r\n\r\nline one\r\nline two\r\n\r\n.\r\n");
        assertThat(w.size()).isEqualTo(observer.size());
    }

    @Test
    void normalizeKeepsACrLfThatIsSplitAcrossWrites() throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.NORMALIZE_LF);
        w.write("Subject: x\r".getBytes(StandardCharsets.US_ASCII));
        w.write("\n\r".getBytes(StandardCharsets.US_ASCII));
        w.write("\nbody\r".getBytes(StandardCharsets.US_ASCII));
        w.write('\n');
        w.finish();
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.NONE);
        assertThat(stored()).isEqualTo("Subject: x\r\nX-Added: yes\r\n\r\nbody\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Subject: x\r\n\r\nbare\rcr\r\n", "Subject: x\r\n\r\ncr before bare lf\r\r\n",
            "Subject: x\r\n\r\nends in cr\r"})
    void normalizeStillRefusesABareCr(String content) throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.NORMALIZE_LF);
        write(w, content, 1);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.BARE_LINE_END);
    }

    @Test
    void uncheckedLinesPassAsTheyAre() throws IOException {
        MessageWriter w = writer(1 << 20, 10, MessageWriter.Lines.UNCHECKED);
        write(w, "Subject: x\r\n\r\nbare\nlf and a long line\rcr", 3);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.NONE);
        assertThat(stored()).endsWith("\r\n\r\nbare\nlf and a long line\rcr");
    }

    @Test
    void aLineMayHoldTheLimitWithItsCrLfButNotOneOctetMore() throws IOException {
        MessageWriter ok = writer(1 << 20, 12, MessageWriter.Lines.STRICT);
        write(ok, "Subject: x\r\n\r\n" + "y".repeat(10) + "\r\n", 1);
        assertThat(ok.problem()).isEqualTo(MessageWriter.Problem.NONE);
        MessageWriter over = writer(1 << 20, 12, MessageWriter.Lines.STRICT);
        write(over, "Subject: x\r\n\r\n" + "y".repeat(11) + "\r\n", 1);
        assertThat(over.problem()).isEqualTo(MessageWriter.Problem.LINE_TOO_LONG);
        // a normalized line is measured as stored: the LF becomes CRLF
        MessageWriter lf = writer(1 << 20, 12, MessageWriter.Lines.NORMALIZE_LF);
        write(lf, "Subject: x\n\n" + "y".repeat(10) + "\n", 1);
        assertThat(lf.problem()).isEqualTo(MessageWriter.Problem.NONE);
        MessageWriter lfOver = writer(1 << 20, 12, MessageWriter.Lines.NORMALIZE_LF);
        write(lfOver, "Subject: x\n\n" + "y".repeat(11) + "\n", 1);
        assertThat(lfOver.problem()).isEqualTo(MessageWriter.Problem.LINE_TOO_LONG);
    }

    @Test
    void hopsAreTheReceivedFieldsOfTheHeaderOnly() throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(w, "Received: from a\r\n by b; date\r\nreceived: from c by d; date\r\nRECEIVED : from e\r\n"
                + "X-Received: not a hop\r\n\r\nReceived: in the body, not a hop\r\n", 2);
        assertThat(w.receivedCount()).isEqualTo(3);
    }

    @Test
    void droppedFieldsGoWholeAndAreJudgedOnTheUnfoldedValue() throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(w, "X-Drop: first\r\n\tsecond\r\nSubject: kept\r\n folded\r\nX-DROP: again\r\n\r\nX-Drop: body\r\n", 3);
        assertThat(stored()).isEqualTo("Subject: kept\r\n folded\r\nX-Added: yes\r\n\r\nX-Drop: body\r\n");
        assertThat(asked).containsExactly("x-drop=first\tsecond", "subject=kept folded", "x-drop=again");
    }

    @Test
    void aFieldTooLongToHoldIsJudgedOnItsNameAlone() throws IOException {
        MessageWriter w = writer(1 << 22, 1000, MessageWriter.Lines.STRICT);
        String huge = "X-Drop: start\r\n" + (" " + "z".repeat(900) + "\r\n").repeat(80);
        write(w, huge + "Subject: after\r\n\r\nbody\r\n", 4096);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.NONE);
        assertThat(stored()).isEqualTo("Subject: after\r\nX-Added: yes\r\n\r\nbody\r\n");
        assertThat(asked).contains("x-drop=");
    }

    @Test
    void aBodyWithoutTheBlankLineGetsOneAfterTheAdditions() throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(w, "Subject: x\r\njust a body line\r\n", 1);
        assertThat(stored()).isEqualTo("Subject: x\r\nX-Added: yes\r\n\r\njust a body line\r\n");
    }

    @Test
    void aHeaderOnlyMessageGetsTheAdditionsAtTheEnd() throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(w, "Subject: only\r\n", 1);
        assertThat(stored()).isEqualTo("Subject: only\r\nX-Added: yes\r\n");
    }

    @Test
    void theFirstMessageIdIsKeptUnfolded() throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(w, "Message-ID:\r\n <first@example.net>\r\nMessage-Id: <second@example.net>\r\n\r\n"
                + "Message-ID: <body@example.net>\r\n", 2);
        assertThat(w.messageId()).isEqualTo("<first@example.net>");
        MessageWriter none = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(none, "Subject: x\r\n\r\n", 1);
        assertThat(none.messageId()).isNull();
    }

    @Test
    void afterTheFirstProblemNothingMoreIsWritten() throws IOException {
        MessageWriter w = writer(1 << 20, 1000, MessageWriter.Lines.STRICT);
        write(w, "Subject: x\r\n\r\nbad\nafter the problem\r\n", 1);
        assertThat(w.problem()).isEqualTo(MessageWriter.Problem.BARE_LINE_END);
        assertThat(stored()).doesNotContain("after the problem");
        assertThat(observer.toString(StandardCharsets.UTF_8)).doesNotContain("after the problem");
    }
}
