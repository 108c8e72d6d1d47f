package org.postwerk.delivery;

import java.io.IOException;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.client.SmtpClient;
import org.postwerk.tls.ClientTls;

/**
 * Opens an SMTP session on a connected client: greeting, EHLO, STARTTLS when offered (verified when the route
 * requires TLS or {@code mustVerify}, for an MTA-STS policy; opportunistic otherwise; skipped on a retry after a
 * failed opportunistic handshake), AUTH when
 * the route has credentials. Returns null when ready, or the
 * outcome that stops this host.
 */
record Session(SmtpClient c, RouteSettings route, ClientTls verified, ClientTls opportunistic, boolean tryTls,
               boolean mustVerify) {
    static final Reply TLS_REQUIRED = Reply.of(451, 4, 7, 10, "TLS required but not offered by the server");
    static final Reply AUTH_NEEDS_TLS = Reply.of(451, 4, 7, 10, "Refusing to send credentials without TLS");

    Outcome open() throws IOException {
        Hop hop = hop();
        Reply g = c.greeting();
        if (!g.isPositive()) {
            // RFC 5321 §3.1: a refusing greeting is about this host; the next MX may accept. Never bounce on it.
            return deferOrFail(g, "greeting", hop);
        }
        Reply h = c.hello();
        if (!h.isPositive()) {
            return deferOrFail(h, "EHLO", hop);
        }
        boolean require = mustVerify || route != null && route.requireTls();
        if (c.tlsProtocol().isEmpty() && c.capabilities().has("STARTTLS") && (tryTls || require)) {
            Reply t = c.startTls(require ? verified : opportunistic);
            if (!t.isPositive() && require) {
                return deferOrFail(t, "STARTTLS", hop());
            }
        }
        if (require && c.tlsProtocol().isEmpty()) {
            return new Outcome.Deferred(Outcome.ours(TLS_REQUIRED), hop());
        }
        if (route != null && route.authUser().isPresent()) {
            if (c.tlsProtocol().isEmpty()) {
                return new Outcome.Deferred(Outcome.ours(AUTH_NEEDS_TLS), hop());
            }
            Reply a = c.authenticate(route.authUser().get(), route.authPassword().orElse(""));
            if (!a.isPositive()) {
                return deferOrFail(a, "AUTH", hop());
            }
        }
        return null;
    }

    /** The host offered no STARTTLS or refused it, where TLS was required. */
    static boolean tlsMissing(Outcome problem) {
        return problem.reply() == TLS_REQUIRED || "STARTTLS".equals(problem.command());
    }

    private Hop hop() {
        return Transaction.hopOf(c);
    }

    private static Outcome deferOrFail(Reply r, String command, Hop hop) {
        // A refusal at the greeting, EHLO, STARTTLS or AUTH is about this host or connection, not the recipient:
        // defer (the next MX may take it), never bounce; the reply is kept as the host gave it.
        return new Outcome.Deferred(hop.said(r, command), hop);
    }
}
