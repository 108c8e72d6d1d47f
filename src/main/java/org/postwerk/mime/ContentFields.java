package org.postwerk.mime;

import java.util.ArrayList;
import java.util.List;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.ParserCursor;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.util.ByteSequence;
import org.apache.james.mime4j.util.ContentUtil;

/**
 * Parses the MIME fields of one header with mime4j's {@link RawFieldParser}: "type/subtype; name=value" with
 * quoted strings and comments (RFC 2045 §5.1), dispositions (RFC 2183). Parameters stay as written (RFC 2231
 * continuations are joined only for search, {@link HeaderText#param}), because BODYSTRUCTURE reports them as is.
 */
final class ContentFields {
    private ContentFields() {
    }

    static ContentInfo parse(HeaderCollector h, boolean digestChild) {
        String type = null;
        String subtype = null;
        List<ContentInfo.Param> params = List.of();
        String ct = h.get("content-type");
        if (ct != null) {
            RawBody body = parseBody(ct);
            String value = body.getValue() == null ? "" : body.getValue().strip();
            int slash = value.indexOf('/');
            // RFC 2045 §5.2 would make a broken Content-Type text/plain. Dovecot keeps what it can read
            // ("application" without subtype stays application, subtype ""), which keeps an attachment from
            // being shown inline as text; we do the same, so both servers show the same BODYSTRUCTURE. Only an
            // empty or unreadable type falls back to the default.
            String t = slash < 0 ? value : value.substring(0, slash).strip();
            String s = slash < 0 ? "" : value.substring(slash + 1).strip();
            if (token(t) && (s.isEmpty() || token(s))) {
                type = t;
                subtype = s;
                params = params(body);
            }
        }
        String disposition = null;
        List<ContentInfo.Param> dispositionParams = List.of();
        String cd = h.get("content-disposition");
        if (cd != null) {
            RawBody body = parseBody(cd);
            if (body.getValue() != null && !body.getValue().isBlank()) {
                disposition = body.getValue().strip();
                dispositionParams = params(body);
            }
        }
        return new ContentInfo(type, subtype, params, h.get("content-id"), h.get("content-description"),
                single(h.get("content-transfer-encoding")), h.get("content-md5"), disposition, dispositionParams,
                h.get("content-language"), h.get("content-location"), digestChild);
    }

    static RawBody parseBody(String value) {
        ByteSequence bytes = ContentUtil.encode(value);
        return RawFieldParser.DEFAULT.parseRawBody(bytes, new ParserCursor(0, bytes.length()));
    }

    private static List<ContentInfo.Param> params(RawBody body) {
        List<ContentInfo.Param> out = new ArrayList<>();
        for (NameValuePair p : body.getParams()) {
            if (p.getName() != null && !p.getName().isEmpty() && p.getValue() != null) {
                out.add(new ContentInfo.Param(p.getName(), p.getValue()));
            }
        }
        return out;
    }

    /** The first token of a field such as Content-Transfer-Encoding, without comments. */
    private static String single(String value) {
        if (value == null) {
            return null;
        }
        String v = parseBody(value).getValue();
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** RFC 2045 §5.1 token: no controls, spaces or tspecials. */
    static boolean token(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?=".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
