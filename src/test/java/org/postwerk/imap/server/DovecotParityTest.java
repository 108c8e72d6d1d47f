package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Role;

/**
 * Transcripts of what interop/imap-dovecot found different from Dovecot (the same session against both servers
 * over one Maildir), each fixed to answer as Dovecot does.
 */
class DovecotParityTest {
    @TempDir
    Path dir;
    ImapTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private ImapClient loggedIn() throws Exception {
        server = new ImapTestServer(dir, Role.IMAPS);
        ImapClient c = ImapClient.implicitTls(server.port(), server.tls.trusting);
        c.readResponse();
        c.login();
        return c;
    }

    /** RFC 9051 §6.4.4: TEXT looks in the header "including MIME header fields": a body part's too. */
    @Test
    void searchTextFindsTheMimeHeadersOfBodyParts() throws Exception {
        try (ImapClient c = loggedIn()) {
            server.deliver("", "1000.M1P1Q1.h", """
                    Subject: report
                    Content-Type: multipart/mixed; boundary=b

                    --b
                    Content-Type: text/plain

                    see attachment
                    --b
                    Content-Type: application/pdf
                    Content-Disposition: attachment; filename="=?UTF-8?Q?Bericht_=C3=BCber.pdf?="

                    JVBERi0=
                    --b--
                    """);
            c.ok("SELECT INBOX");
            assertThat(c.ok("SEARCH TEXT application/pdf").get(0)).isEqualTo("* SEARCH 1");
            assertThat(c.ok("SEARCH CHARSET UTF-8 TEXT {13+}\r\nBericht über").get(0)).isEqualTo("* SEARCH 1");
            assertThat(c.ok("SEARCH BODY application/pdf").get(0)).isEqualTo("* SEARCH"); // BODY: the text only
        }
    }
}
