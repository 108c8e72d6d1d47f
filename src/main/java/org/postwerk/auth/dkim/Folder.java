package org.postwerk.auth.dkim;

import java.util.List;

/** Builds a header field folded before 78 columns (RFC 5322 §2.1.1), breaking only where white space may go. */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's field folding)
public final class Folder {
    private static final int WIDTH = 76;
    private final StringBuilder text;
    private int column;

    public Folder(String start) {
        text = new StringBuilder(start);
        column = start.length();
    }

    /** Adds a word, preceded by a space or a fold. */
    public Folder add(String word) {
        if (column + 1 + word.length() > WIDTH) {
            text.append("\r\n");
            column = 0;
        }
        text.append(' ').append(word);
        column += 1 + word.length();
        return this;
    }

    /** Adds {@code tag} then the items joined by {@code separator}, folding after a separator when needed. */
    public Folder addList(String tag, List<String> items, String separator, String end) {
        add(tag + items.get(0) + (items.size() == 1 ? end : separator));
        for (int i = 1; i < items.size(); i++) {
            String piece = items.get(i) + (i == items.size() - 1 ? end : separator);
            if (column + piece.length() > WIDTH) {
                text.append("\r\n ");
                column = 1;
            }
            text.append(piece);
            column += piece.length();
        }
        return this;
    }

    /** Appends base64 text directly after what is there (b=), folding every so often (FWS is allowed in b=). */
    public Folder addBase64(String value) {
        for (int i = 0; i < value.length(); ) {
            if (column >= WIDTH) {
                text.append("\r\n ");
                column = 1;
            }
            int n = Math.min(WIDTH - column, value.length() - i);
            text.append(value, i, i + n);
            column += n;
            i += n;
        }
        return this;
    }

    public String text() {
        return text.toString();
    }
}
