package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postwerk.imap.ImapWriter;

/**
 * ENVELOPE, BODY and BODYSTRUCTURE of the corpus against what Dovecot 2.3 answered for the same messages
 * ({@code NN-name.golden}, written by {@code dovecot-golden.py}). Where we differ on purpose, an
 * {@code NN-name.expected} file holds our answer, with {@code #} lines saying why; it wins over the golden one.
 */
class DovecotGoldenTest {
    static List<String> names() {
        return Corpus.NAMES;
    }

    @ParameterizedTest
    @MethodSource("names")
    void sameAsDovecot(String name) {
        MessageStructure m = Corpus.parse(name);
        byte[] expected = expected(name);
        List<byte[]> items = Corpus.goldenItems(expected);
        assertThat(items).hasSize(3);
        assertThat(text(item("ENVELOPE", w -> ImapFormat.envelope(w, m.envelope())))).isEqualTo(text(items.get(0)));
        assertThat(text(item("BODY", w -> ImapFormat.body(w, m.root(), false)))).isEqualTo(text(items.get(1)));
        assertThat(text(item("BODYSTRUCTURE", w -> ImapFormat.body(w, m.root(), true)))).isEqualTo(text(items.get(2)));
    }

    private static byte[] expected(String name) {
        try {
            return Corpus.resource(name + ".expected");
        } catch (IllegalArgumentException e) {
            return Corpus.resource(name + ".golden");
        }
    }

    private static byte[] item(String item, java.util.function.Consumer<ImapWriter> body) {
        ImapWriter w = new ImapWriter(false).atom(item);
        body.accept(w);
        return w.toByteArray();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
