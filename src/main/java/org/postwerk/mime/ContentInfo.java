package org.postwerk.mime;

import java.util.List;
import java.util.Locale;

/**
 * The MIME header fields of one entity (RFC 2045, RFC 2183, RFC 3066, RFC 2557), kept as they were written
 * (case, quoting removed from parameter values), so that BODYSTRUCTURE reports what the sender wrote. Nulls mean
 * "field absent". {@code type} is null when there was no usable Content-Type: the defaults of RFC 2045 §5.2
 * (or message/rfc822 inside multipart/digest, RFC 2046 §5.1.5) are applied by {@link #effectiveType()}.
 */
public record ContentInfo(String type, String subtype, List<Param> params, String id, String description,
                          String encoding, String md5, String disposition, List<Param> dispositionParams,
                          String language, String location, boolean digestChild) {

    public record Param(String name, String value) {
    }

    public static final ContentInfo DEFAULT =
            new ContentInfo(null, null, List.of(), null, null, null, null, null, List.of(), null, null, false);

    public ContentInfo {
        params = List.copyOf(params);
        dispositionParams = List.copyOf(dispositionParams);
    }

    /** The media type, lower case, with the RFC 2045 §5.2 / RFC 2046 §5.1.5 default. */
    public String effectiveType() {
        if (type == null) {
            return digestChild ? "message" : "text";
        }
        return type.toLowerCase(Locale.ROOT);
    }

    public String effectiveSubtype() {
        if (type == null) {
            return digestChild ? "rfc822" : "plain";
        }
        return subtype.toLowerCase(Locale.ROOT);
    }

    public boolean isMultipart() {
        return "multipart".equals(effectiveType());
    }

    /** message/rfc822 (and message/global, RFC 6532 §3.7), whose body is a message of its own. */
    public boolean isMessage() {
        return "message".equals(effectiveType())
                && ("rfc822".equals(effectiveSubtype()) || "global".equals(effectiveSubtype()));
    }

    public boolean isText() {
        return "text".equals(effectiveType());
    }

    /** The first parameter of that name, case-insensitive (RFC 2045 §5.1), or null. */
    public String param(String name) {
        for (Param p : params) {
            if (p.name().equalsIgnoreCase(name)) {
                return p.value();
            }
        }
        return null;
    }

    /** The transfer encoding, lower case, "7bit" when absent (RFC 2045 §6.1). */
    public String effectiveEncoding() {
        return encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT);
    }
}
