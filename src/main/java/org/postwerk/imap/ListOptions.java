package org.postwerk.imap;

import java.util.List;
import java.util.Set;

/**
 * LIST-EXTENDED options (RFC 5258 §3): selection options before the reference, return options after the
 * patterns, with SPECIAL-USE (RFC 6154 §5.1) and STATUS (RFC 5819). {@code extended} is true when the client
 * used the extended syntax at all (options, or several patterns), which changes what the reply may contain.
 */
public record ListOptions(Set<Selection> selection, Set<Return> returns, List<StatusItem> status,
        boolean extended) {
    public static final ListOptions BASIC = new ListOptions(Set.of(), Set.of(), List.of(), false);

    public ListOptions {
        selection = ImapCommand.enumSet(selection, Selection.class);
        returns = ImapCommand.enumSet(returns, Return.class);
        status = List.copyOf(status);
    }

    public enum Selection { SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE }

    /** STATUS is set when {@code status} lists items. */
    public enum Return { SUBSCRIBED, CHILDREN, SPECIAL_USE, STATUS }
}
