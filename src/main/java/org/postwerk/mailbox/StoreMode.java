package org.postwerk.mailbox;

/** How STORE combines the given flags with a message's flags (RFC 9051 §6.4.6). */
public enum StoreMode {
    ADD, REMOVE, REPLACE;

    Flags apply(Flags current, Flags given) {
        return switch (this) {
            case ADD -> current.plus(given);
            case REMOVE -> current.minus(given);
            case REPLACE -> given;
        };
    }
}
