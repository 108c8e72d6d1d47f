package org.postwerk.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The test messages under src/test/resources/mime/, stored with LF and read in their CRLF wire form. */
final class Corpus {
    static final List<String> NAMES = List.of("01-simple", "02-alternative", "03-nested", "04-rfc822",
            "05-encoded-words", "06-8bit-headers", "07-malformed", "08-no-body", "09-deep", "10-groups",
            "11-digest", "12-no-boundary-param", "13-boundary-padding", "14-empty-multipart",
            "15-extension-fields", "16-no-final-newline", "17-rfc822-base64", "18-latin1-header",
            "19-header-in-boundary", "20-case-and-rfc2231", "21-empty-subject-and-headers");

    private Corpus() {
    }

    static byte[] resource(String file) {
        try (InputStream in = Corpus.class.getResourceAsStream("/mime/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource mime/" + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message in CRLF form (a LF not preceded by CR becomes CRLF, as the store's readers do). */
    static byte[] message(String name) {
        return crlf(resource(name + ".eml"));
    }

    static byte[] crlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 20);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    static MessageStructure parse(String name) {
        return parse(message(name));
    }

    static MessageStructure parse(byte[] message) {
        try {
            return MessageStructure.parse(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a golden file into its lines "ITEM value" (a value may hold literals with CRLF inside). */
    static List<byte[]> goldenItems(byte[] golden) {
        List<byte[]> items = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < golden.length; i++) {
            if (golden[i] == '\n' && (i == 0 || golden[i - 1] != '\r')) {
                byte[] line = java.util.Arrays.copyOfRange(golden, start, i);
                if (line.length > 0 && line[0] != '#') {
                    items.add(line);
                }
                start = i + 1;
            }
        }
        return items;
    }
}
