package org.postwerk.imap;

/**
 * What STORE does to the flags (RFC 9051 §6.4.6): {@code FLAGS} replaces, {@code +FLAGS} adds,
 * {@code -FLAGS} removes; {@code .SILENT} asks for no untagged FETCH in reply (RFC 7162 §3.2 still sends one
 * to a CONDSTORE client when the MODSEQ changed).
 */
public record StoreAction(Mode mode, Flags flags, boolean silent) {
    public enum Mode {
        REPLACE("FLAGS"), ADD("+FLAGS"), REMOVE("-FLAGS");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** The flags of a message after this action. */
    public Flags apply(Flags current) {
        return switch (mode) {
            case REPLACE -> flags;
            case ADD -> current.with(flags);
            case REMOVE -> current.without(flags);
        };
    }

    @Override
    public String toString() {
        return mode.wire() + (silent ? ".SILENT " : " ") + flags;
    }
}
