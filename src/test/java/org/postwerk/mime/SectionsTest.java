package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SectionsTest {
    private final byte[] forwarded = Corpus.message("04-rfc822");
    private final MessageStructure m = Corpus.parse(forwarded);

    private String fetch(Section s) {
        return fetch(m, forwarded, s);
    }

    static String fetch(MessageStructure m, byte[] message, Section s) {
        return switch (Sections.locate(m, s)) {
            case Sections.Range r -> text(Arrays.copyOfRange(message, (int) r.start(), (int) r.end()));
            case Sections.HeaderFields h -> text(Sections.filterHeader(
                    Arrays.copyOfRange(message, (int) h.header().start(), (int) h.header().end()), h.names(), h.not()));
            case Sections.Missing missing -> null;
        };
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void wholeHeaderAndText() {
        assertThat(fetch(Section.whole())).isEqualTo(text(forwarded));
        assertThat(fetch(Section.of(Section.Kind.HEADER))).startsWith("From: forwarder@example.org\r\n")
                .endsWith("boundary=\"b1\"\r\n\r\n");
        assertThat(fetch(Section.of(Section.Kind.TEXT))).startsWith("--b1\r\n").endsWith("--b1--\r\n");
    }

    @Test
    void partsOfAMultipart() {
        assertThat(fetch(Section.of(Section.Kind.ALL, 1))).isEqualTo("See the attached message.");
        assertThat(fetch(Section.of(Section.Kind.MIME, 1))).isEqualTo("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        assertThat(fetch(Section.of(Section.Kind.MIME, 2)))
                .isEqualTo("Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"original.eml\"\r\n\r\n");
    }

    @Test
    void anEncapsulatedMessageAndItsParts() {
        // RFC 9051 §6.4.5: [2] of a message/rfc822 part is the whole encapsulated message.
        assertThat(fetch(Section.of(Section.Kind.ALL, 2))).startsWith("From: Original Sender").endsWith("--b2--\r\n");
        assertThat(fetch(Section.of(Section.Kind.HEADER, 2))).startsWith("From: Original Sender")
                .endsWith("boundary=\"b2\"\r\n\r\n");
        assertThat(fetch(Section.of(Section.Kind.TEXT, 2))).startsWith("--b2\r\n").endsWith("--b2--\r\n");
        assertThat(fetch(Section.of(Section.Kind.ALL, 2, 1))).isEqualTo("inner text\r\nmore inner text\r\n");
        assertThat(fetch(Section.of(Section.Kind.ALL, 2, 2))).isEqualTo("a,b\r\n1,2");
        assertThat(fetch(Section.of(Section.Kind.MIME, 2, 2))).startsWith("Content-Type: text/csv");
    }

    @Test
    void headerFieldsMatchCaseInsensitivelyAndEndWithTheBlankLine() {
        Section fields = new Section(List.of(2), Section.Kind.HEADER_FIELDS, List.of("subject", "FROM", "X-None"));
        assertThat(fetch(fields)).isEqualTo("From: Original Sender <orig@example.net>\r\nSubject: the original\r\n\r\n");
        Section not = new Section(List.of(), Section.Kind.HEADER_FIELDS_NOT,
                List.of("from", "to", "subject", "date", "message-id", "mime-version"));
        assertThat(fetch(not)).isEqualTo("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n");
        Section none = new Section(List.of(), Section.Kind.HEADER_FIELDS, List.of("X-Absent"));
        assertThat(fetch(none)).isEqualTo("\r\n");
    }

    @Test
    void foldedFieldsKeepTheirContinuationLines() {
        byte[] folded = Sections.filterHeader(
                "Subject: one\r\n two\r\nX-A: b\r\nTo: x\r\n\tcontinued\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                List.of("to", "subject"), false);
        assertThat(text(folded)).isEqualTo("Subject: one\r\n two\r\nTo: x\r\n\tcontinued\r\n\r\n");
    }

    @Test
    void missingPartsAndHeaderOfANonMessagePart() {
        assertThat(Sections.locate(m, Section.of(Section.Kind.ALL, 3))).isInstanceOf(Sections.Missing.class);
        assertThat(Sections.locate(m, Section.of(Section.Kind.ALL, 0))).isInstanceOf(Sections.Missing.class);
        assertThat(Sections.locate(m, Section.of(Section.Kind.HEADER, 1))).isInstanceOf(Sections.Missing.class);
        assertThat(Sections.locate(m, Section.of(Section.Kind.ALL, 1, 2))).isInstanceOf(Sections.Missing.class);
        // N.1 of a leaf in a multipart is the leaf itself, as Dovecot answers (RFC 9051 does not define it).
        assertThat(fetch(Section.of(Section.Kind.ALL, 1, 1))).isEqualTo("See the attached message.");
        assertThat(Sections.locate(m, Section.of(Section.Kind.ALL, 2, 3))).isInstanceOf(Sections.Missing.class);
    }

    @Test
    void partOneOfASinglePartMessageIsItsBody() {
        byte[] simple = Corpus.message("01-simple");
        MessageStructure s = Corpus.parse(simple);
        String body = "Hello Joe, do you think we can meet at 3:30 tomorrow?\r\n";
        assertThat(fetch(s, simple, Section.of(Section.Kind.ALL, 1))).isEqualTo(body);
        assertThat(fetch(s, simple, Section.of(Section.Kind.TEXT))).isEqualTo(body);
        assertThat(fetch(s, simple, Section.of(Section.Kind.MIME, 1))).startsWith("Return-Path:").endsWith("\r\n\r\n");
        assertThat(Sections.locate(s, Section.of(Section.Kind.ALL, 2))).isInstanceOf(Sections.Missing.class);
        assertThat(Sections.locate(s, Section.of(Section.Kind.ALL, 1, 1))).isInstanceOf(Sections.Missing.class);
    }

    @Test
    void partialRanges() {
        Sections.Range r = new Sections.Range(100, 200);
        assertThat(r.partial(0, 10)).isEqualTo(new Sections.Range(100, 110));
        assertThat(r.partial(95, 10)).isEqualTo(new Sections.Range(195, 200));
        assertThat(r.partial(500, 10).length()).isZero();
    }
}
