package org.postwerk.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Text for SEARCH BODY / TEXT / header keys (RFC 9051 §6.4.4) and the substring match IMAP asks for.
 *
 * <p>Matching is case-insensitive by Unicode case mapping, close to RFC 5051 i;unicode-casemap: both sides are
 * upper-cased then lower-cased (so "ß" matches "SS", final and other sigmas meet) and put in NFKD form (so a
 * precomposed "é" matches "e" + combining accent, and compatibility forms such as "ﬁ" match "fi"). Accents are
 * not removed: "muller" does not find "Müller", as in Dovecot without a full-text index.
 *
 * <p>Body text: every text/* leaf part, in the encapsulated messages too, with its transfer encoding and charset
 * decoded (an unknown charset is read as UTF-8, broken octets replaced). Work is bounded: at most
 * {@link #MAX_TEXT} characters per message are searched.
 */
public final class SearchText {
    /** Characters of decoded body text searched per message (about 8 MiB of memory in the worst case). */
    public static final int MAX_TEXT = 4 * 1024 * 1024;

    /** Reads octets [start, end) of the message in its CRLF form. */
    @FunctionalInterface
    public interface Source {
        InputStream open(long start, long end) throws IOException;
    }

    /** A search string, folded once, matched against many texts. */
    public record Needle(String folded) {
        public static Needle of(String text) {
            return new Needle(fold(text));
        }

        /** Whether the text contains the needle (an empty needle is in every text, RFC 9051 §6.4.4). */
        public boolean in(String text) {
            return text != null && fold(text).contains(folded);
        }
    }

    private SearchText() {
    }

    /** The case-folded, NFKD form of a text (see the class comment). */
    public static String fold(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 128;
        }
        if (ascii) {
            return s.toLowerCase(Locale.ROOT);
        }
        return Normalizer.normalize(s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT), Normalizer.Form.NFKD);
    }

    /** The decoded text of the message's text parts, joined with line breaks, at most {@link #MAX_TEXT} chars. */
    public static String bodyText(MessageStructure message, Source source) throws IOException {
        StringBuilder out = new StringBuilder();
        collect(message.root(), source, out);
        return out.toString();
    }

    /**
     * The header fields of every part below the message's own header: the MIME header of each body part and
     * the header of each encapsulated message, one "Name: decoded value" line each. TEXT searches them too
     * (RFC 9051 §6.4.4: "in the header (including MIME header fields) or body"), so an attachment's file name
     * or a part's Content-Description is found, as Dovecot finds it. At most {@link #MAX_TEXT} characters.
     */
    public static String partHeaders(MessageStructure message, Source source) throws IOException {
        StringBuilder out = new StringBuilder();
        headersBelow(message.root(), source, out);
        return out.toString();
    }

    private static void headersBelow(Part part, Source source, StringBuilder out) throws IOException {
        List<Part> below = switch (part.body()) {
            case Part.Multipart mp -> mp.parts();
            case Part.Embedded em -> List.of(em.message().root());
            case Part.Leaf leaf -> List.of();
        };
        for (Part child : below) {
            if (out.length() >= MAX_TEXT) {
                return;
            }
            byte[] header;
            try (InputStream in = source.open(child.headerStart(), child.bodyStart())) {
                header = in.readNBytes((int) Math.min(child.headerSize(), MAX_TEXT));
            }
            for (HeaderText.Field f : HeaderText.fields(header)) {
                out.append(f.name()).append(": ").append(HeaderText.decode(f.value())).append('\n');
            }
            headersBelow(child, source, out);
        }
    }

    private static void collect(Part part, Source source, StringBuilder out) throws IOException {
        if (out.length() >= MAX_TEXT) {
            return;
        }
        switch (part.body()) {
            case Part.Multipart mp -> {
                for (Part child : mp.parts()) {
                    collect(child, source, out);
                }
            }
            case Part.Embedded em -> collect(em.message().root(), source, out);
            case Part.Leaf leaf -> {
                if (part.content().isText() && part.size() > 0) {
                    text(part, source, out);
                }
            }
        }
    }

    private static void text(Part part, Source source, StringBuilder out) throws IOException {
        String encoding = part.content().effectiveEncoding();
        if (!encoding.equals("base64") && !encoding.equals("quoted-printable")) {
            encoding = null; // 7bit, 8bit, binary, and unknown encodings are searched as they are
        }
        if (!out.isEmpty()) {
            out.append('\n');
        }
        try (InputStream raw = source.open(part.bodyStart(), part.bodyEnd());
             Reader r = new InputStreamReader(Binary.decode(raw, encoding), charset(part.content()))) {
            char[] buf = new char[8192];
            int n;
            while (out.length() < MAX_TEXT && (n = r.read(buf, 0, Math.min(buf.length, MAX_TEXT - out.length()))) > 0) {
                out.append(buf, 0, n);
            }
        }
    }

    static Charset charset(ContentInfo content) {
        String name = content.param("charset");
        Charset cs = name == null ? null : CharsetUtil.lookup(name.strip());
        return cs == null ? StandardCharsets.UTF_8 : cs;
    }
}
