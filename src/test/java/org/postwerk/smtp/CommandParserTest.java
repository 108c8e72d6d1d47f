package org.postwerk.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandParserTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            MAIL FROM:<a@b.example>                     | a@b.example
            mail from:<a@b.example>                     | a@b.example
            MAIL FROM: <a@b.example>                    | a@b.example
            MAIL FROM:<>                                | <>
            MAIL FROM:<@hop1.example,@hop2.example:a@b.example> | a@b.example
            MAIL FROM:<"john doe"@b.example>            | "john doe"@b.example
            MAIL FROM:<"a\\"b"@b.example>               | "a\\"b"@b.example
            MAIL FROM:<user+tag@b.example>              | user+tag@b.example
            MAIL FROM:<a@[192.0.2.1]>                   | a@[192.0.2.1]
            MAIL FROM:<a@[IPv6:2001:db8::1]>            | a@[IPv6:2001:db8::1]
            MAIL FROM:<j\u00f6rg@b\u00fccher.example>   | j\u00f6rg@b\u00fccher.example
            """)
    void validSenders(String line, String expected) {
        Command c = CommandParser.parse(line);
        assertThat(c).isInstanceOf(Command.Mail.class);
        Command.Mail m = (Command.Mail) c;
        assertThat(m.sender().map(Mailbox::toString).orElse("<>")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            MAIL FROM:a@b.example                 | 501 5.1.7
            MAIL FROM:<a@b.example                | 501 5.1.7
            MAIL FROM:<a@@b.example>              | 501 5.1.7
            MAIL FROM:<.a@b.example>              | 501 5.1.7
            MAIL FROM:<a..b@b.example>            | 501 5.1.7
            MAIL FROM:<a@-b.example>              | 501 5.1.7
            MAIL FROM:<a@b_c.example>             | 501 5.1.7
            MAIL FROM:<a@[300.1.1.1]>             | 501 5.1.7
            MAIL FROM:<a@[IPv6:zz::1]>            | 501 5.1.7
            MAIL FROM:<a b@b.example>             | 501 5.1.7
            MAIL FROM:<@hop:a@b.example           | 501 5.1.7
            MAIL FROM:<a@b.example>x              | 501 5.5.4
            MAIL FROM:<a@b.example> SIZE=         | 501 5.5.4
            MAIL FROM:<a@b.example> ENVID=a=b     | 501 5.5.4
            MAIL FROM:<a@b.example> SMTPUTF8=yes  | 501 5.5.4
            MAIL FROM:<a@b.example> REQUIRETLS=yes | 501 5.5.4
            MAIL FROM:<a@b.example> X-FOO=1       | 555 5.5.4
            MAIL                                  | 501 5.5.4
            RCPT TO:<>                            | 501 5.1.3
            RCPT TO:<a@b.example> ORCPT=nosemicolon | 501 5.5.4
            RCPT TO:<a@b.example> NOTIFY=NEVER,DELAY | 501 5.5.4
            BDAT                                  | 501 5.5.4
            BDAT x                                | 501 5.5.4
            BDAT 10 FIRST                         | 501 5.5.4
            QUIT now                              | 501 5.5.4
            STARTTLS x                            | 501 5.5.4
            XYZZY                                 | 500 5.5.2
            """)
    void invalidCommands(String line, String expected) {
        Command c = CommandParser.parse(line);
        assertThat(c).isInstanceOf(Command.Invalid.class);
        Reply r = ((Command.Invalid) c).reply();
        assertThat(r.code() + " " + r.status()).isEqualTo(expected);
    }

    @Test
    void localPartLimitIs64Octets() {
        assertThat(CommandParser.parse("RCPT TO:<" + "a".repeat(64) + "@b.example>")).isInstanceOf(Command.Rcpt.class);
        assertThat(CommandParser.parse("RCPT TO:<" + "a".repeat(65) + "@b.example>")).isInstanceOf(Command.Invalid.class);
    }

    @Test
    void mailParameters() {
        Command.Mail m = (Command.Mail) CommandParser.parse(
                "MAIL FROM:<a@b.example> SIZE=1234 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=QQ+2B1 AUTH=<>");
        assertThat(m.parameters()).isEqualTo(new MailParameters(java.util.OptionalLong.of(1234),
                BodyType.EIGHT_BIT_MIME, true, Ret.HDRS, "QQ+1", "<>"));
        assertThat(m.parameters().requireTls()).isFalse();
    }

    @Test
    void requireTlsIsAKeywordInAnyCase() {
        Command.Mail m = (Command.Mail) CommandParser.parse("MAIL FROM:<a@b.example> requiretls SMTPUTF8");
        assertThat(m.parameters().requireTls()).isTrue();
        assertThat(m.parameters().smtputf8()).isTrue();
    }

    @Test
    void rcptParametersAndPostmaster() {
        Command.Rcpt r = (Command.Rcpt) CommandParser.parse(
                "RCPT TO:<Postmaster> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a+40b.example");
        assertThat(r.postmaster()).isTrue();
        assertThat(r.parameters().notifyOn()).isEqualTo(Set.of(Notify.SUCCESS, Notify.FAILURE));
        assertThat(r.parameters().orcpt()).isEqualTo("rfc822;a+40b.example");
    }

    @Test
    void otherVerbs() {
        assertThat(CommandParser.parse("BDAT 100 LAST")).isEqualTo(new Command.Bdat(100, true));
        assertThat(CommandParser.parse("bdat 7")).isEqualTo(new Command.Bdat(7, false));
        assertThat(CommandParser.parse("AUTH plain dGVzdA==")).isEqualTo(
                new Command.Auth("PLAIN", java.util.Optional.of("dGVzdA==")));
        assertThat(CommandParser.parse("NOOP anything")).isEqualTo(new Command.Noop());
        assertThat(CommandParser.parse("EHLO [192.0.2.1]")).isEqualTo(new Command.Ehlo("[192.0.2.1]"));
    }

    @Test
    void xtextRoundTrip() {
        assertThat(Xtext.decode("a+2Bb+3Dc")).isEqualTo("a+b=c");
        assertThat(Xtext.encode("a+b=c d")).isEqualTo("a+2Bb+3Dc+20d");
        assertThat(Xtext.decode("bad+2")).isNull();
        assertThat(Xtext.decode("bad+zz")).isNull();
    }
}
