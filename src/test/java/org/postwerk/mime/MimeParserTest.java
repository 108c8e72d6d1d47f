package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postwerk.imap.ImapWriter;

class MimeParserTest {
    private static byte[] crlf(String s) {
        return Corpus.crlf(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Every part lies inside its parent and the offsets are ordered (headerStart <= bodyStart <= bodyEnd). */
    private static void assertNested(Part p, long from, long to) {
        assertThat(p.headerStart()).isBetween(from, to);
        assertThat(p.bodyStart()).isBetween(p.headerStart(), to);
        assertThat(p.bodyEnd()).isBetween(p.bodyStart(), to);
        switch (p.body()) {
            case Part.Multipart mp -> mp.parts().forEach(c -> assertNested(c, p.bodyStart(), p.bodyEnd()));
            case Part.Embedded em -> assertNested(em.message().root(), p.bodyStart(), p.bodyEnd());
            case Part.Leaf leaf -> { }
        }
    }

    @Test
    void offsetsNestForTheWholeCorpus() {
        for (String name : Corpus.NAMES) {
            byte[] m = Corpus.message(name);
            MessageStructure s = Corpus.parse(m);
            assertThat(s.root().headerStart()).isZero();
            assertThat(s.size()).as(name).isEqualTo(m.length);
            assertNested(s.root(), 0, m.length);
        }
    }

    @Test
    void anEmptyMultipartCutByABoundaryStaysInsideItsParent() {
        // Part 1 is a multipart whose header runs into the outer boundary: its empty child lies within it.
        byte[] m = crlf("Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/mixed; boundary=i\n"
                + "--o\nContent-Type: multipart/mixed; boundary=j\n\nno boundary here\n--o--\n");
        MessageStructure s = Corpus.parse(m);
        assertNested(s.root(), 0, m.length);
        assertThat(((Part.Multipart) s.root().body()).parts()).hasSize(2);
    }

    @Test
    void aHugeHeaderCostsNoMemoryAndKeepsBoundedValues() {
        // 20 MB of header: one 10 MB line and 200,000 short fields; the Subject after them is still found.
        InputStream huge = new java.io.SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                new ByteArrayInputStream(crlf("X-Long: ")), new RepeatedInput((byte) 'a', 10_000_000),
                new ByteArrayInputStream(crlf("\nSubject: " + "s".repeat(100_000) + "\n")),
                new ByteArrayInputStream(crlf("X-Field: value\n".repeat(200_000))),
                new ByteArrayInputStream(crlf("From: a@b\n\nbody\n")))));
        MessageStructure s = assertQuick(huge);
        assertThat(s.envelope().subject()).hasSize(MimeParser.Limits.DEFAULT.maxFieldValue() - 1);
        assertThat(s.envelope().from()).isEqualTo("a@b");
        assertThat(s.root().size()).isEqualTo(6);
    }

    @Test
    void tenThousandPartsAndDeepNestingAreBounded() throws IOException {
        StringBuilder b = new StringBuilder("Content-Type: multipart/mixed; boundary=x\n\n");
        for (int i = 0; i < 20_000; i++) {
            b.append("--x\nContent-Type: text/plain\n\npart ").append(i).append('\n');
        }
        b.append("--x--\n");
        MessageStructure wide = assertQuick(new ByteArrayInputStream(crlf(b.toString())));
        int parts = ((Part.Multipart) wide.root().body()).parts().size();
        assertThat(parts).isLessThan(MimeParser.Limits.DEFAULT.maxParts());
        assertThat(parts).isGreaterThan(MimeParser.Limits.DEFAULT.maxParts() - 10);

        StringBuilder d = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            d.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        d.append("\ninnermost\n");
        MessageStructure deep = assertQuick(new ByteArrayInputStream(crlf(d.toString())));
        int depth = 0;
        for (Part p = deep.root(); p.body() instanceof Part.Multipart mp; p = mp.parts().get(0)) {
            depth++;
        }
        assertThat(depth).isLessThanOrEqualTo(MimeParser.Limits.DEFAULT.maxDepth() + 1);
        ImapWriter w = new ImapWriter(false);
        ImapFormat.body(w, deep.root(), true); // stays within the nesting limit
        assertThat(StructureCodec.decode(StructureCodec.encode(deep))).isEqualTo(deep);
    }

    @Test
    void messagesNestedBeyondTheLimitStillHaveValidBodyStructure() {
        String d = "Subject: top\nContent-Type: message/rfc822\n\n".repeat(200) + "Subject: innermost\n\nhi\n";
        MessageStructure s = assertQuick(new ByteArrayInputStream(crlf(d)));
        ImapWriter w = new ImapWriter(false);
        ImapFormat.body(w, s.root(), true);
        // The innermost parsed message/rfc822 part gets an empty envelope and body (RFC 9051 body-type-msg).
        assertThat(w.toString()).containsPattern("\\(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" \\d+ "
                + "\\(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL\\) "
                + "\\(\"text\" \"plain\" \\(\"charset\" \"us-ascii\"\\) NIL NIL \"7bit\" 0 0 NIL NIL NIL NIL\\) \\d+ NIL");
        assertThat(w.toString().chars().filter(c -> c == '(').count())
                .isEqualTo(w.toString().chars().filter(c -> c == ')').count());
    }

    @Test
    void randomInputNeverFails() throws IOException {
        Random random = new Random(7);
        byte[] seed = Corpus.message("04-rfc822");
        for (int i = 0; i < 3000; i++) {
            byte[] m = seed.clone();
            for (int k = 0; k < 1 + random.nextInt(20); k++) {
                m[random.nextInt(m.length)] = (byte) "-\r\n:;\"<>(=b2 x\0\u00ff".charAt(random.nextInt(16));
            }
            m = java.util.Arrays.copyOf(m, random.nextInt(m.length + 1));
            MessageStructure s = MessageStructure.parse(new ByteArrayInputStream(m));
            assertNested(s.root(), 0, m.length);
            ImapFormat.body(new ImapWriter(true), s.root(), true);
            ImapFormat.envelope(new ImapWriter(false), s.envelope());
            assertThat(StructureCodec.decode(StructureCodec.encode(s))).isEqualTo(s);
        }
    }

    @Test
    void utf8ClientsGetQuotedUtf8AndRev1ClientsLiterals() {
        Envelope e = Corpus.parse("06-8bit-headers").envelope();
        ImapWriter rev2 = new ImapWriter(true);
        ImapFormat.envelope(rev2, e);
        assertThat(rev2.toString()).contains("\"Grüße — raw UTF-8 subject\"").contains("((\"Jörg Müller\" NIL");
        ImapWriter rev1 = new ImapWriter(false);
        ImapFormat.envelope(rev1, e);
        assertThat(rev1.toString()).contains("{29}\r\nGrüße — raw UTF-8 subject");
    }

    @Test
    void bareLfInputIsParsedWithItsOwnOffsets() {
        byte[] lf = "Subject: x\n\nline\n".getBytes(StandardCharsets.US_ASCII);
        MessageStructure s = Corpus.parse(lf);
        assertThat(s.root().bodyStart()).isEqualTo(12);
        assertThat(s.root().size()).isEqualTo(5);
        assertThat(s.root().bodyLines()).isEqualTo(1);
    }

    private static MessageStructure assertQuick(InputStream in) {
        long start = System.nanoTime();
        MessageStructure s;
        try {
            s = MessageStructure.parse(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(10_000);
        return s;
    }

    /** n copies of one octet, without holding them in memory. */
    private static final class RepeatedInput extends InputStream {
        private final byte value;
        private long left;

        RepeatedInput(byte value, long count) {
            this.value = value;
            this.left = count;
        }

        @Override
        public int read() {
            return left-- > 0 ? value : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, value);
            left -= n;
            return n;
        }
    }
}
