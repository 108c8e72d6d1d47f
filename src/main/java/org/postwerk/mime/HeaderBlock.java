package org.postwerk.mime;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A message's header block (its octets up to the body) with the lines found once, so that FETCH of
 * HEADER.FIELDS filters it on the octets (no String per line) and SEARCH reuses what it derived from it
 * before: the unfolded fields, each field's searchable text, the sent date. Immutable but for those derived
 * values, which are computed at most once or twice (a race only repeats the work), so sessions share it.
 */
public final class HeaderBlock {
    /** Latin-1 case folding, as String.toLowerCase(Locale.ROOT) does for the ISO-8859-1 reading of a name. */
    private static final byte[] LOWER = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            LOWER[c] = (byte) Character.toLowerCase((char) c);
        }
    }

    private static final LocalDate NO_DATE = LocalDate.MIN;

    private final byte[] octets;
    /** Per line before the blank one: its start, and for a field line its name [nameStart, nameEnd); -1 else. */
    private final int[] lineStart;
    private final int[] nameStart;
    private final int[] nameEnd;
    private final int lines;
    /** Offset just past the last line read (the blank line's start, or the end of the block). */
    private final int linesEnd;
    private final boolean blank;

    private volatile List<HeaderText.Field> fields;
    /** Keys and values of {@link #searchable} one after the other; replaced whole when one is added. */
    private volatile Object[] searchable = new Object[0];
    private volatile LocalDate sentDate;

    private HeaderBlock(byte[] octets) {
        this.octets = octets;
        int[] starts = new int[16];
        int[] names = new int[16];
        int[] ends = new int[16];
        int n = 0;
        int i = 0;
        boolean sawBlank = false;
        while (i < octets.length) {
            int end = i;
            while (end < octets.length && octets[end] != '\n') {
                end++;
            }
            int contentEnd = end > i && octets[end - 1] == '\r' ? end - 1 : end;
            if (contentEnd == i) {
                sawBlank = true;
                break;
            }
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                names = Arrays.copyOf(names, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
            }
            starts[n] = i;
            if (octets[i] == ' ' || octets[i] == '\t') {
                names[n] = -1;
                ends[n] = -1;
            } else {
                int colon = i;
                while (colon < contentEnd && octets[colon] != ':') {
                    colon++;
                }
                int s = i;
                int e = colon;
                while (s < e && isSpace(octets[s])) {
                    s++;
                }
                while (e > s && isSpace(octets[e - 1])) {
                    e--;
                }
                names[n] = s;
                ends[n] = e;
            }
            n++;
            i = Math.min(octets.length, end + 1);
        }
        this.lineStart = starts;
        this.nameStart = names;
        this.nameEnd = ends;
        this.lines = n;
        this.linesEnd = i;
        this.blank = sawBlank;
    }

    /** The header block of a message (the octets from its start to its body's start). */
    public static HeaderBlock of(byte[] octets) {
        return new HeaderBlock(octets);
    }

    public byte[] octets() {
        return octets;
    }

    /** Roughly the memory this block holds, for a cache bounded in bytes. */
    public int footprint() {
        return 96 + octets.length + 12 * lineStart.length;
    }

    /** As String.strip() on the ISO-8859-1 reading: the whitespace that Character.isWhitespace knows below 256. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b >= 0x09 && b <= 0x0d || b >= 0x1c && b <= 0x1f;
    }

    /** Field names for {@link #filter}, folded once per command. */
    public static final class Names {
        private final byte[][] names;

        private Names(byte[][] names) {
            this.names = names;
        }

        public static Names of(List<String> names) {
            List<byte[]> out = new ArrayList<>();
            for (String n : names) {
                String lower = n.toLowerCase(Locale.ROOT);
                if (lower.chars().allMatch(c -> c < 256)) { // else no header name can equal it
                    out.add(lower.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                }
            }
            return new Names(out.toArray(new byte[0][]));
        }

        boolean contains(byte[] b, int from, int to) {
            int len = to - from;
            for (byte[] n : names) {
                if (n.length == len && equalsFolded(n, b, from)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean equalsFolded(byte[] lower, byte[] b, int from) {
            for (int k = 0; k < lower.length; k++) {
                if (lower[k] != LOWER[b[from + k] & 0xff]) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The fields whose names are (or with {@code not}, are not) among {@code names}, case-insensitively, each
     * with its continuation lines, followed by the blank line (RFC 9051 §6.4.5: "the returned header ...
     * includes the blank line"). As in Dovecot, a line that is not a field counts as a field named by the whole
     * line (so HEADER.FIELDS.NOT keeps it), and HEADER.FIELDS.NOT of a header that has no blank line (a message
     * without body) returns none.
     */
    public byte[] filter(Names names, boolean not) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(not ? octets.length + 2 : 256);
        boolean keep = false;
        for (int k = 0; k < lines; k++) {
            int start = lineStart[k];
            int next = k + 1 < lines ? lineStart[k + 1] : linesEnd;
            if (nameStart[k] < 0) {
                if (keep) {
                    out.write(octets, start, next - start);
                }
                continue;
            }
            keep = names.contains(octets, nameStart[k], nameEnd[k]) != not;
            if (keep) {
                out.write(octets, start, next - start);
                if (octets[next - 1] != '\n') { // the last line of a block without line end
                    out.write('\r');
                    out.write('\n');
                }
            }
        }
        if (blank || !not) {
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** The unfolded fields (see {@link HeaderText#fields}), read once. */
    public List<HeaderText.Field> fields() {
        List<HeaderText.Field> f = fields;
        if (f == null) {
            f = List.copyOf(HeaderText.fields(octets));
            fields = f;
        }
        return f;
    }

    /** The fields a SEARCH header key looks at: by name (case-insensitive), and whether they hold addresses. */
    public record SearchField(String name, boolean address) {
        public SearchField {
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What SEARCH compares with of these fields: each value decoded and folded ({@link SearchText#fold}), and
     * for address fields also the address list written out and folded. Kept for the next search: a header
     * is searched by a few keys only, so a short list holds them (no hashing per message).
     */
    public List<String> searchable(SearchField field) {
        Object[] kept = searchable;
        for (int k = 0; k < kept.length; k += 2) {
            if (kept[k] == field || kept[k].equals(field)) {
                @SuppressWarnings("unchecked")
                List<String> texts = (List<String>) kept[k + 1];
                return texts;
            }
        }
        List<String> out = new ArrayList<>();
        for (String v : HeaderText.values(fields(), field.name())) {
            out.add(SearchText.fold(v));
            if (field.address()) {
                out.add(SearchText.fold(HeaderText.addresses(v)));
            }
        }
        List<String> texts = List.copyOf(out);
        synchronized (this) {
            Object[] now = searchable;
            Object[] more = Arrays.copyOf(now, now.length + 2);
            more[now.length] = field;
            more[now.length + 1] = texts;
            searchable = more;
        }
        return texts;
    }

    /** The date of the first Date field ({@link MessageDate#sentDate}), or null when there is none usable. */
    public LocalDate sentDate() {
        LocalDate d = sentDate;
        if (d == null) {
            List<String> values = HeaderText.values(fields(), "Date");
            LocalDate parsed = values.isEmpty() ? null : MessageDate.sentDate(values.get(0));
            d = parsed == null ? NO_DATE : parsed;
            sentDate = d;
        }
        return d == NO_DATE ? null : d;
    }
}
