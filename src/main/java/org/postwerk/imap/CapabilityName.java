package org.postwerk.imap;

import java.util.Optional;

/**
 * Capability names we know (RFC 9051 §7.2.2 and the extensions in the IMAP plan). The session decides which
 * to announce when (e.g. STARTTLS and LOGINDISABLED before TLS, AUTH= mechanisms, APPENDLIMIT=n).
 */
public enum CapabilityName {
    IMAP4REV1("IMAP4rev1"),
    IMAP4REV2("IMAP4rev2"),
    STARTTLS("STARTTLS"),
    LOGINDISABLED("LOGINDISABLED"),
    SASL_IR("SASL-IR"),
    ENABLE("ENABLE"),
    IDLE("IDLE"),
    UIDPLUS("UIDPLUS"),
    MOVE("MOVE"),
    UNSELECT("UNSELECT"),
    NAMESPACE("NAMESPACE"),
    ID("ID"),
    LITERAL_PLUS("LITERAL+"),
    LITERAL_MINUS("LITERAL-"),
    CHILDREN("CHILDREN"),
    SPECIAL_USE("SPECIAL-USE"),
    CREATE_SPECIAL_USE("CREATE-SPECIAL-USE"),
    CONDSTORE("CONDSTORE"),
    QRESYNC("QRESYNC"),
    ESEARCH("ESEARCH"),
    SEARCHRES("SEARCHRES"),
    LIST_EXTENDED("LIST-EXTENDED"),
    LIST_STATUS("LIST-STATUS"),
    QUOTA("QUOTA"),
    QUOTA_STORAGE("QUOTA=RES-STORAGE"),
    QUOTA_MESSAGE("QUOTA=RES-MESSAGE"),
    BINARY("BINARY"),
    COMPRESS_DEFLATE("COMPRESS=DEFLATE"),
    SORT("SORT"),
    THREAD_REFERENCES("THREAD=REFERENCES"),
    THREAD_ORDEREDSUBJECT("THREAD=ORDEREDSUBJECT"),
    UTF8_ACCEPT("UTF8=ACCEPT"),
    STATUS_SIZE("STATUS=SIZE");

    private final String wire;

    CapabilityName(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The capability named {@code name} (any case), e.g. from ENABLE. */
    public static Optional<CapabilityName> of(String name) {
        for (CapabilityName c : values()) {
            if (c.wire.equalsIgnoreCase(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
