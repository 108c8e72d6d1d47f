package org.postwerk.imap;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.postwerk.imap.Lexer.SyntaxError;
import org.postwerk.imap.ListOptions.Return;
import org.postwerk.imap.ListOptions.Selection;

/** LIST (RFC 9051 §6.3.9 with LIST-EXTENDED, RFC 5258; SPECIAL-USE, RFC 6154; LIST-STATUS, RFC 5819), LSUB, STATUS. */
final class ListParser {
    private final Lexer in;

    ListParser(Lexer in) {
        this.in = in;
    }

    /**
     * list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts];
     * mbox-or-pat = list-mailbox / "(" list-mailbox *(SP list-mailbox) ")".
     */
    ImapCommand list(String tag) throws SyntaxError {
        in.sp();
        boolean extended = false;
        Set<Selection> selection = EnumSet.noneOf(Selection.class);
        if (in.peek() == '(') {
            selection = selectionOptions();
            extended = true;
            in.sp();
        }
        String reference = in.astring();
        in.sp();
        List<String> patterns;
        if (in.peek() == '(') {
            patterns = in.list(1, in::listMailbox);
            extended = true;
        } else {
            patterns = List.of(in.listMailbox());
        }
        Set<Return> returns = EnumSet.noneOf(Return.class);
        List<StatusItem> status = List.of();
        if (in.skip(' ')) {
            if (!in.skipWord("RETURN")) {
                throw in.error("expected RETURN");
            }
            in.sp();
            in.expect('(');
            while (!in.skip(')')) {
                if (!returns.isEmpty()) {
                    in.sp();
                }
                Return option = returnOption();
                if (option == Return.STATUS) {
                    in.sp();
                    status = statusItems();
                }
                returns.add(option);
            }
            extended = true;
        }
        return new ImapCommand.ListMailboxes(tag, reference, patterns,
                new ListOptions(selection, returns, status, extended));
    }

    /**
     * RFC 5258 §3: unknown selection options, and RECURSIVEMATCH without a base option (SUBSCRIBED, or
     * SPECIAL-USE which RFC 6154 §6 adds), are errors.
     */
    private Set<Selection> selectionOptions() throws SyntaxError {
        Set<Selection> options = EnumSet.noneOf(Selection.class);
        options.addAll(in.list(0, () -> switch (in.word()) {
            case "SUBSCRIBED" -> Selection.SUBSCRIBED;
            case "REMOTE" -> Selection.REMOTE;
            case "RECURSIVEMATCH" -> Selection.RECURSIVEMATCH;
            case "SPECIAL-USE" -> Selection.SPECIAL_USE;
            default -> throw in.error("unknown LIST selection option");
        }));
        if (options.contains(Selection.RECURSIVEMATCH)
                && !options.contains(Selection.SUBSCRIBED) && !options.contains(Selection.SPECIAL_USE)) {
            throw in.error("RECURSIVEMATCH needs another selection option");
        }
        return options;
    }

    private Return returnOption() throws SyntaxError {
        return switch (in.word()) {
            case "SUBSCRIBED" -> Return.SUBSCRIBED;
            case "CHILDREN" -> Return.CHILDREN;
            case "SPECIAL-USE" -> Return.SPECIAL_USE;
            case "STATUS" -> Return.STATUS;
            default -> throw in.error("unknown LIST return option");
        };
    }

    /** RFC 3501 §6.3.9: LSUB reference pattern. */
    ImapCommand lsub(String tag) throws SyntaxError {
        in.sp();
        String reference = in.astring();
        in.sp();
        return new ImapCommand.Lsub(tag, reference, in.listMailbox());
    }

    /** status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")". */
    ImapCommand status(String tag) throws SyntaxError {
        in.sp();
        String mailbox = in.astring();
        in.sp();
        return new ImapCommand.Status(tag, mailbox, statusItems());
    }

    private List<StatusItem> statusItems() throws SyntaxError {
        List<StatusItem> items = in.list(1, () -> StatusItem.of(in.atom())
                .orElseThrow(() -> in.error("unknown STATUS item")));
        return items.stream().distinct().toList();
    }
}
