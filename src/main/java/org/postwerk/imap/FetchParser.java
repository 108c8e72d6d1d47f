package org.postwerk.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.postwerk.imap.FetchItem.Attribute;
import org.postwerk.imap.Lexer.SyntaxError;

/**
 * FETCH data items (RFC 9051 §6.4.5, RFC 3516 BINARY, RFC 7162 MODSEQ) and fetch modifiers (RFC 4466 §2.4,
 * RFC 7162 CHANGEDSINCE and VANISHED).
 */
final class FetchParser {
    record Modifiers(OptionalLong changedSince, boolean vanished) {}

    private final Lexer in;

    FetchParser(Lexer in) {
        this.in = in;
    }

    /** "ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")". */
    List<FetchItem> items() throws SyntaxError {
        if (in.peek() == '(') {
            return in.list(1, () -> item(name()));
        }
        List<FetchItem> items = new ArrayList<>();
        String name = name();
        // RFC 9051 §6.4.5: the macros, only on their own.
        switch (name) {
            case "ALL" -> simple(items, Attribute.FLAGS, Attribute.INTERNALDATE, Attribute.RFC822_SIZE,
                    Attribute.ENVELOPE);
            case "FAST" -> simple(items, Attribute.FLAGS, Attribute.INTERNALDATE, Attribute.RFC822_SIZE);
            case "FULL" -> simple(items, Attribute.FLAGS, Attribute.INTERNALDATE, Attribute.RFC822_SIZE,
                    Attribute.ENVELOPE, Attribute.BODY);
            default -> items.add(item(name));
        }
        return items;
    }

    private static void simple(List<FetchItem> items, Attribute... attributes) {
        for (Attribute a : attributes) {
            items.add(new FetchItem.Simple(a));
        }
    }

    /** The item name up to "[" or a delimiter: letters, digits and dots, in upper case. */
    private String name() throws SyntaxError {
        return Syntax.upper(in.token(c -> c < 0x80 && Character.isLetterOrDigit(c) || c == '.', "fetch item"));
    }

    private FetchItem item(String name) throws SyntaxError {
        return switch (name) {
            case "ENVELOPE" -> new FetchItem.Simple(Attribute.ENVELOPE);
            case "FLAGS" -> new FetchItem.Simple(Attribute.FLAGS);
            case "INTERNALDATE" -> new FetchItem.Simple(Attribute.INTERNALDATE);
            case "RFC822.SIZE" -> new FetchItem.Simple(Attribute.RFC822_SIZE);
            case "UID" -> new FetchItem.Simple(Attribute.UID);
            case "BODYSTRUCTURE" -> new FetchItem.Simple(Attribute.BODYSTRUCTURE);
            case "MODSEQ" -> new FetchItem.Simple(Attribute.MODSEQ);
            case "RFC822" -> new FetchItem.Simple(Attribute.RFC822);
            case "RFC822.HEADER" -> new FetchItem.Simple(Attribute.RFC822_HEADER);
            case "RFC822.TEXT" -> new FetchItem.Simple(Attribute.RFC822_TEXT);
            case "BODY" -> in.peek() == '['
                    ? new FetchItem.BodySection(section(), false, partial())
                    : new FetchItem.Simple(Attribute.BODY);
            case "BODY.PEEK" -> new FetchItem.BodySection(section(), true, partial());
            case "BINARY" -> new FetchItem.Binary(binarySection(), false, partial());
            case "BINARY.PEEK" -> new FetchItem.Binary(binarySection(), true, partial());
            case "BINARY.SIZE" -> new FetchItem.BinarySize(binarySection());
            default -> throw in.error("unknown fetch item");
        };
    }

    /**
     * section = "[" [section-spec] "]"; section-spec = section-msgtext / (section-part ["." section-text]);
     * section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"; section-text adds "MIME".
     */
    private Section section() throws SyntaxError {
        in.expect('[');
        List<Integer> part = new ArrayList<>();
        String text = "";
        if (Syntax.isDigit(in.peek())) {
            part.add(partNumber());
            while (in.skip('.')) {
                if (Syntax.isDigit(in.peek())) {
                    part.add(partNumber());
                } else {
                    text = sectionText();
                    break;
                }
            }
        } else if (in.peek() != ']') {
            text = sectionText();
        }
        Section section = switch (text) {
            case "" -> new Section(part, Section.Kind.ALL, List.of());
            case "HEADER" -> new Section(part, Section.Kind.HEADER, List.of());
            case "TEXT" -> new Section(part, Section.Kind.TEXT, List.of());
            case "MIME" -> {
                if (part.isEmpty()) {
                    throw in.error("MIME needs a part number");
                }
                yield new Section(part, Section.Kind.MIME, List.of());
            }
            case "HEADER.FIELDS" -> new Section(part, Section.Kind.HEADER_FIELDS, headerList());
            case "HEADER.FIELDS.NOT" -> new Section(part, Section.Kind.HEADER_FIELDS_NOT, headerList());
            default -> throw in.error("unknown section");
        };
        in.expect(']');
        return section;
    }

    private String sectionText() throws SyntaxError {
        return Syntax.upper(in.token(c -> c < 0x80 && Character.isLetter(c) || c == '.', "section text"));
    }

    /** header-list = "(" header-fld-name *(SP header-fld-name) ")". */
    private List<String> headerList() throws SyntaxError {
        in.sp();
        return in.list(1, () -> {
            String name = in.astring();
            // RFC 5322 §3.6.8: field names are printable US-ASCII without ':'.
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
                throw in.error("invalid header field name");
            }
            return name;
        });
    }

    /** section-binary = "[" [section-part] "]". */
    private List<Integer> binarySection() throws SyntaxError {
        in.expect('[');
        List<Integer> part = new ArrayList<>();
        if (!in.skip(']')) {
            do {
                part.add(partNumber());
            } while (in.skip('.'));
            in.expect(']');
        }
        return part;
    }

    /** nz-number; parts beyond 2^31 cannot exist in a message we hold, so they are refused as syntax. */
    private int partNumber() throws SyntaxError {
        return (int) in.nzNumber(Integer.MAX_VALUE);
    }

    /** partial = "<" number64 "." nz-number64 ">". */
    private Optional<FetchItem.Partial> partial() throws SyntaxError {
        if (!in.skip('<')) {
            return Optional.empty();
        }
        long offset = in.number(Long.MAX_VALUE);
        in.expect('.');
        long length = in.nzNumber(Long.MAX_VALUE);
        in.expect('>');
        return Optional.of(new FetchItem.Partial(offset, length));
    }

    /** fetch-modifiers = "(" fetch-modifier *(SP fetch-modifier) ")" (RFC 4466, RFC 7162 §3.1.4, §3.2.6). */
    Modifiers modifiers() throws SyntaxError {
        in.expect('(');
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        do {
            String name = in.word();
            if (name.equals("CHANGEDSINCE") && changedSince.isEmpty()) {
                in.sp();
                changedSince = OptionalLong.of(in.number(CommandParser.MAX_MODSEQ));
            } else if (name.equals("VANISHED") && !vanished) {
                vanished = true;
            } else {
                throw in.error("unknown or repeated FETCH modifier");
            }
        } while (in.skip(' '));
        in.expect(')');
        return new Modifiers(changedSince, vanished);
    }
}
