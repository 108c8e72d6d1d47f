package org.postwerk.mailbox;

/** Special-use folder attributes (RFC 6154) and the folder each user gets at creation. */
public enum SpecialUse {
    SENT("\\Sent", "Sent"),
    DRAFTS("\\Drafts", "Drafts"),
    TRASH("\\Trash", "Trash"),
    JUNK("\\Junk", "Junk"),
    ARCHIVE("\\Archive", "Archive");

    private final String attribute;
    private final String defaultName;

    SpecialUse(String attribute, String defaultName) {
        this.attribute = attribute;
        this.defaultName = defaultName;
    }

    public String attribute() {
        return attribute;
    }

    public String defaultName() {
        return defaultName;
    }

    /** The use for an attribute such as {@code \Sent} (case-insensitive), or null. {@code \All} and
     * {@code \Flagged} (virtual folders) are not offered. */
    public static SpecialUse ofAttribute(String attribute) {
        for (SpecialUse u : values()) {
            if (u.attribute.equalsIgnoreCase(attribute)) {
                return u;
            }
        }
        return null;
    }
}
