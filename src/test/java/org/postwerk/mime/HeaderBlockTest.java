package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeaderBlockTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String filter(String header, boolean not, String... names) {
        return text(HeaderBlock.of(bytes(header)).filter(HeaderBlock.Names.of(List.of(names)), not));
    }

    @Test
    void filtersFieldsWithTheirContinuationLinesAndEndsWithTheBlankLine() {
        String h = "From: a@example.org\r\nSubject: one\r\n two\r\nX-Spam: yes\r\nDATE: today\r\n\r\n";
        assertThat(filter(h, false, "subject", "Date", "to"))
                .isEqualTo("Subject: one\r\n two\r\nDATE: today\r\n\r\n");
        assertThat(filter(h, true, "SUBJECT", "x-spam")).isEqualTo("From: a@example.org\r\nDATE: today\r\n\r\n");
    }

    @Test
    void aLastLineWithoutLineEndGetsOneAndFieldsNotOfAHeaderWithoutBlankLineHasNone() {
        assertThat(filter("From: a\r\nSubject: x", false, "subject")).isEqualTo("Subject: x\r\n\r\n");
        assertThat(filter("From: a\r\nSubject: x", true, "subject")).isEqualTo("From: a\r\n");
        assertThat(filter("Subject : spaced\r\n\r\n", false, "subject")).isEqualTo("Subject : spaced\r\n\r\n");
        assertThat(filter("Sübject: latin\r\n\r\n", false, "SÜBJECT")).isEqualTo("Sübject: latin\r\n\r\n");
    }

    /** The filter on octets answers as the former one that made a String of every line, on any header. */
    @Test
    void agreesWithFilteringOnStrings() {
        Random r = new Random(42);
        String[] pieces = {"From", "to", "SUBJECT", "Date", "x", "", " ", "\t", ":", ": v", "\r\n", "\n", "\r",
                "é", "É", "\u001f", " cont", "From:", "Subject: s\r\n"};
        List<String> names = List.of("from", "Subject", "x", "é", "date ");
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(12); k > 0; k--) {
                b.append(pieces[r.nextInt(pieces.length)]);
            }
            byte[] header = bytes(b.toString());
            List<String> wanted = names.subList(0, r.nextInt(names.size() + 1));
            for (boolean not : new boolean[] {false, true}) {
                assertThat(text(HeaderBlock.of(header).filter(HeaderBlock.Names.of(wanted), not)))
                        .as("%s %s %s", b, wanted, not).isEqualTo(text(onStrings(header, wanted, not)));
            }
        }
    }

    /** Sections.filterHeader as it was: a String per line. */
    private static byte[] onStrings(byte[] header, List<String> names, boolean not) {
        List<String> wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean keep = false;
        boolean blank = !not;
        int i = 0;
        while (i < header.length) {
            int end = i;
            while (end < header.length && header[end] != '\n') {
                end++;
            }
            int next = Math.min(header.length, end + 1);
            int contentEnd = end > i && header[end - 1] == '\r' ? end - 1 : end;
            if (contentEnd == i) {
                blank = true;
                break;
            }
            if (header[i] == ' ' || header[i] == '\t') {
                if (keep) {
                    out.write(header, i, next - i);
                }
            } else {
                int colon = i;
                while (colon < contentEnd && header[colon] != ':') {
                    colon++;
                }
                String name = new String(header, i, colon - i, StandardCharsets.ISO_8859_1).strip()
                        .toLowerCase(Locale.ROOT);
                keep = wanted.contains(name) != not;
                if (keep) {
                    out.write(header, i, next - i);
                    if (end == header.length) {
                        out.writeBytes(new byte[] {'\r', '\n'});
                    }
                }
            }
            i = next;
        }
        if (blank) {
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    @Test
    void searchTextsAreDecodedFoldedAndKept() {
        HeaderBlock h = HeaderBlock.of(bytes("From: =?UTF-8?Q?J=C3=BCrgen?= <JB@Example.ORG>\r\n"
                + "Subject: Re: =?ISO-8859-1?Q?Gr=FC=DFe?=\r\nsubject: Second\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n"));
        HeaderBlock.SearchField subject = new HeaderBlock.SearchField("subject", false);
        assertThat(h.searchable(new HeaderBlock.SearchField("FROM", true)))
                .anySatisfy(t -> assertThat(t).contains("jb@example.org"))
                .anySatisfy(t -> assertThat(t).contains("j\u0075\u0308rgen"));
        assertThat(h.searchable(subject)).hasSize(2).first().asString().contains("gru\u0308");
        assertThat(h.searchable(new HeaderBlock.SearchField("Subject", false))).isSameAs(h.searchable(subject));
        assertThat(h.searchable(new HeaderBlock.SearchField("cc", true))).isEmpty();
        assertThat(h.sentDate()).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(h.fields()).isSameAs(h.fields());
        assertThat(HeaderBlock.of(bytes("Subject: no date\r\n\r\n")).sentDate()).isNull();
    }
}
