package org.postwerk.mime;

/**
 * The header fields of a message that ENVELOPE (RFC 9051 §7.5.2) and threading (RFC 5256) need, unfolded
 * (RFC 5322 §2.2.3: CRLF removed, the white space kept) and otherwise as written; null when absent. Raw 8-bit
 * octets that are not UTF-8 were read as ISO-8859-1, so no octet is lost. Addresses are parsed when the envelope
 * is formatted ({@link Address#parseList}), keeping the cached form small and exactly the sender's text.
 */
public record Envelope(String date, String subject, String from, String sender, String replyTo, String to,
                       String cc, String bcc, String inReplyTo, String messageId, String references) {

    public static final Envelope EMPTY = new Envelope(null, null, null, null, null, null, null, null, null, null, null);
}
