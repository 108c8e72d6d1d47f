package org.postwerk.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.postwerk.imap.ImapCommand;
import org.postwerk.imap.ImapWriter;
import org.postwerk.imap.ListOptions;
import org.postwerk.imap.MailboxName;
import org.postwerk.mailbox.MailAccess;

/**
 * LIST (RFC 9051 §6.3.9, with LIST-EXTENDED of RFC 5258, SPECIAL-USE of RFC 6154 and LIST-STATUS of
 * RFC 5819) and LSUB (RFC 3501). Patterns: {@code *} matches anything, {@code %} anything but the
 * hierarchy delimiter; INBOX matches case-insensitively.
 */
final class Listing {
    private final ImapSession session;

    Listing(ImapSession session) {
        this.session = session;
    }

    void list(ImapCommand.ListMailboxes l) throws IOException {
        ListOptions o = l.options();
        Selection.Options opts = session.options();
        if (l.patterns().size() == 1 && l.patterns().get(0).isEmpty() && !o.extended()) {
            session.out().untagged("LIST (\\Noselect) \"/\" \"\""); // the delimiter query
            return;
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String p : l.patterns()) {
            patterns.add(compile(decode(l.reference() + p, opts)));
        }
        MailAccess mail = session.mail();
        List<MailAccess.FolderInfo> folders = mail.folders();
        Set<String> subscribed = new TreeSet<>(mail.subscriptions());
        boolean onlySubscribed = o.selection().contains(ListOptions.Selection.SUBSCRIBED);
        boolean onlySpecial = o.selection().contains(ListOptions.Selection.SPECIAL_USE);
        boolean showSubscribed = onlySubscribed || o.returns().contains(ListOptions.Return.SUBSCRIBED);
        Set<String> listed = new TreeSet<>();
        for (MailAccess.FolderInfo f : folders) {
            if (!matches(patterns, f.name()) || onlySpecial && f.use().isEmpty()
                    || onlySubscribed && !f.subscribed()) {
                continue;
            }
            listed.add(f.name());
            List<String> attrs = new ArrayList<>();
            if (!f.selectable()) {
                attrs.add("\\Noselect");
            }
            attrs.add(f.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
            f.use().ifPresent(u -> attrs.add(u.attribute()));
            if (showSubscribed && f.subscribed()) {
                attrs.add("\\Subscribed");
            }
            line("LIST", attrs, f.name(), opts);
            if (o.returns().contains(ListOptions.Return.STATUS) && f.selectable()) {
                try {
                    session.out().untagged(new MailboxCommands(session).statusLine(new MailboxName(f.name()), o.status()));
                } catch (MailAccess.Problem e) {
                    // removed meanwhile: no STATUS line (RFC 5819 §2)
                }
            }
        }
        if (onlySubscribed) {
            for (String s : subscribed) { // subscribed names without a folder (RFC 5258 §3.1)
                if (!listed.contains(s) && matches(patterns, s)) {
                    line("LIST", List.of("\\NonExistent", "\\Subscribed"), s, opts);
                }
            }
        }
    }

    void lsub(ImapCommand.Lsub l) throws IOException {
        Selection.Options opts = session.options();
        List<Pattern> patterns = List.of(compile(decode(l.reference() + l.pattern(), opts)));
        for (String s : session.mail().subscriptions()) {
            if (matches(patterns, s)) {
                line("LSUB", List.of(), s, opts);
            }
        }
    }

    private void line(String kind, List<String> attrs, String name, Selection.Options opts) throws IOException {
        ImapWriter w = new ImapWriter(opts.utf8()).atom(kind).open();
        attrs.forEach(w::atom);
        w.close().string("/").string(new MailboxName(name).toWire(opts.utf8()));
        session.out().untagged(w);
    }

    /** The pattern in the user's form: modified UTF-7 decoded for IMAP4rev1 clients (wildcards kept). */
    private static String decode(String wire, Selection.Options opts) {
        if (opts.utf8()) {
            return wire;
        }
        return org.postwerk.mailbox.ModifiedUtf7.decode(wire).orElse(wire); // as MailboxName decodes names
    }

    static Pattern compile(String pattern) {
        StringBuilder re = new StringBuilder();
        String p = pattern;
        boolean inbox = p.length() >= 5 && p.substring(0, 5).equalsIgnoreCase("INBOX")
                && (p.length() == 5 || p.charAt(5) == '/' || p.charAt(5) == '*' || p.charAt(5) == '%');
        if (inbox) {
            re.append("INBOX");
            p = p.substring(5);
        }
        for (char c : p.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '%' -> re.append("[^/]*");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static boolean matches(List<Pattern> patterns, String name) {
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }
}
