package org.postwerk.policy;

import java.util.List;

/** Formats an Authentication-Results header field (RFC 8601 §2.2), one result per folded line. */
final class AuthenticationResults {
    private AuthenticationResults() {}

    static String header(String authservId, List<String> results) {
        StringBuilder sb = new StringBuilder("Authentication-Results: ").append(authservId);
        if (results.isEmpty()) {
            return sb.append("; none\r\n").toString();
        }
        for (String r : results) {
            sb.append(";\r\n\t").append(r);
        }
        return sb.append("\r\n").toString();
    }
}
