package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImapWriterTest {
    @Test
    void listsAtomsAndStrings() {
        String s = new ImapWriter(false).atom("FLAGS").open().atom("\\Seen").atom("$Junk").close()
                .string("a \"quoted\" \\ value").nstring(null).toString();
        assertThat(s).isEqualTo("FLAGS (\\Seen $Junk) \"a \\\"quoted\\\" \\\\ value\" NIL");
    }

    @Test
    void unsafeValuesBecomeLiterals() {
        assertThat(new ImapWriter(false).string("two\r\nlines").toString()).isEqualTo("{10}\r\ntwo\r\nlines");
        assertThat(new ImapWriter(false).string("Jörg").toString()).isEqualTo("{5}\r\nJörg");
        assertThat(new ImapWriter(true).string("Jörg").toString()).isEqualTo("\"Jörg\"");
        assertThat(new ImapWriter(true).string("x".repeat(ImapWriter.MAX_QUOTED + 1)).toString()).startsWith("{1025}\r\n");
    }

    @Test
    void rawAndGlue() {
        String s = new ImapWriter(false).atom("BODY").glue().raw("[1.2]<0>").string("x").toString();
        assertThat(s).isEqualTo("BODY[1.2]<0> \"x\"");
    }

    @Test
    void flagsMailboxesAndDates() {
        String s = new ImapWriter(false).atom("FLAGS").flags(Flags.of("$Junk", "\\seen")).mailbox(new MailboxName("Entw\u00fcrfe"))
                .dateTime(java.time.OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, java.time.ZoneOffset.ofHours(-7)))
                .flags(Flags.EMPTY).toString();
        assertThat(s).isEqualTo("FLAGS (\\Seen $Junk) \"Entw&APw-rfe\" \"17-Jul-1996 02:44:25 -0700\" ()");
        assertThat(new ImapWriter(true).mailbox(new MailboxName("Entw\u00fcrfe")).toString()).isEqualTo("\"Entw\u00fcrfe\"");
    }
}
