package org.postwerk.milter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header section of a message as a list of fields (RFC 5322 §2.2), each kept as its exact text, so that the
 * fields no milter touches are written back byte for byte. Text is ISO-8859-1 here: one char per byte, whatever
 * the bytes are. The milter's header edits apply to this list.
 */
final class HeaderSection {
    /** One field: its name and its whole text, continuation lines and final line end included. */
    record Field(String name, String text) {
        /** The value as a milter gets it: what follows the colon, continuation lines joined by LF (as Postfix). */
        String value() {
            String v = text.substring(text.indexOf(':') + 1);
            v = v.endsWith("\r\n") ? v.substring(0, v.length() - 2) : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
            return v.replace("\r\n", "\n");
        }

        boolean named(String other) {
            return name.equalsIgnoreCase(other);
        }

        /** A field a milter gives: without SMFIP_HDR_LEADSPC the milter's value has no space after the colon. */
        static Field of(String name, String value, boolean leadingSpace) {
            StringBuilder sb = new StringBuilder(name).append(':');
            if (!leadingSpace && !value.startsWith(" ") && !value.startsWith("\t")) {
                sb.append(' ');
            }
            String[] lines = value.replace("\r\n", "\n").split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    sb.append("\r\n");
                    if (!lines[i].startsWith(" ") && !lines[i].startsWith("\t")) {
                        sb.append('\t'); // RFC 5322 §2.2.3: a continuation line starts with white space
                    }
                }
                sb.append(lines[i]);
            }
            return new Field(name, sb.append("\r\n").toString());
        }

        /** RFC 5322 §3.6.8: printable US-ASCII but the colon. */
        static boolean validName(String name) {
            return !name.isEmpty() && name.length() <= 998 && name.chars().allMatch(c -> c > 32 && c < 127 && c != ':');
        }
    }

    private final List<Field> fields;
    /** The empty line after the fields ({@code CRLF}), or "" when the message had none (no body, or no header). */
    private final String separator;

    private HeaderSection(List<Field> fields, String separator) {
        this.fields = fields;
        this.separator = separator;
    }

    List<Field> fields() {
        return fields;
    }

    HeaderSection copy() {
        return new HeaderSection(new ArrayList<>(fields), separator);
    }

    void add(Field f) {
        fields.add(f);
    }

    void insert(int index, Field f) {
        fields.add(Math.max(0, Math.min(index, fields.size())), f);
    }

    /** The {@code index}-th field (from 1; 0 counts as 1) named {@code name} changed, or deleted when {@code value} is "". */
    void change(int index, String name, String value, boolean leadingSpace) {
        int wanted = Math.max(1, index);
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).named(name) && ++seen == wanted) {
                if (value.isEmpty()) {
                    fields.remove(i);
                } else {
                    fields.set(i, Field.of(fields.get(i).name(), value, leadingSpace));
                }
                return;
            }
        }
        if (!value.isEmpty()) {
            fields.add(Field.of(name, value, leadingSpace)); // as sendmail: a change of a field not there adds it
        }
    }

    /** The first value of a field named {@code name}, or null. */
    String first(String name) {
        return fields.stream().filter(f -> f.named(name)).map(Field::value).findFirst().orElse(null);
    }

    void writeTo(OutputStream out) throws IOException {
        for (Field f : fields) {
            out.write(f.text().getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write(separator.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Reads the header section from the start of a message written into it; {@link #length()} then says how many
     * bytes it took, the rest is the body. A line that is neither a field nor a continuation ends the section (as
     * Postfix's cleanup does: it belongs to the body).
     */
    static final class Reader extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        private final List<Field> fields = new ArrayList<>();
        private StringBuilder current;
        private String currentName;
        private long length;
        private boolean done;
        private String separator = "";

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len && !done; i++) {
                line.write(b[i]);
                if (b[i] == '\n') {
                    endOfLine();
                }
            }
        }

        /** True once the section is complete (the rest of the message is not needed). */
        boolean done() {
            return done;
        }

        private void endOfLine() {
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (text.equals("\r\n") || text.equals("\n")) {
                flushField();
                separator = text;
                length += text.length();
                done = true;
                return;
            }
            if ((text.startsWith(" ") || text.startsWith("\t")) && current != null) {
                current.append(text);
                length += text.length();
                return;
            }
            int colon = text.indexOf(':');
            String name = colon > 0 ? text.substring(0, colon).stripTrailing() : "";
            if (!Field.validName(name)) {
                flushField();
                done = true; // this line is the body's
                return;
            }
            flushField();
            current = new StringBuilder(text);
            currentName = name;
            length += text.length();
        }

        private void flushField() {
            if (current != null) {
                fields.add(new Field(currentName, current.toString()));
                current = null;
            }
        }

        /** The section read (a last field without line end, at the end of the message, counts). */
        HeaderSection section() {
            if (!done && line.size() > 0 && current == null) {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                int colon = text.indexOf(':');
                if (colon > 0 && Field.validName(text.substring(0, colon))) {
                    fields.add(new Field(text.substring(0, colon), text));
                    length += text.length();
                }
            } else {
                flushField();
            }
            return new HeaderSection(fields, separator);
        }

        long length() {
            return length;
        }
    }
}
