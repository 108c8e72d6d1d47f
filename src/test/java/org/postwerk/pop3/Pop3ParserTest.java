package org.postwerk.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Pop3ParserTest {
    @Test
    void commands() {
        assertThat(Pop3Parser.parse("user alice@example.org")).isEqualTo(new Pop3Command.User("alice@example.org"));
        assertThat(Pop3Parser.parse("PASS with spaces ")).isEqualTo(new Pop3Command.Pass("with spaces "));
        assertThat(Pop3Parser.parse("list")).isEqualTo(new Pop3Command.ListMessages(OptionalInt.empty()));
        assertThat(Pop3Parser.parse("LIST 7")).isEqualTo(new Pop3Command.ListMessages(OptionalInt.of(7)));
        assertThat(Pop3Parser.parse("TOP 1 0")).isEqualTo(new Pop3Command.Top(1, 0));
        assertThat(Pop3Parser.parse("TOP 1 123456789012")).isEqualTo(new Pop3Command.Top(1, Integer.MAX_VALUE));
        assertThat(Pop3Parser.parse("AUTH plain dGVzdA==")).isEqualTo(
                new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("dGVzdA==")));
        assertThat(Pop3Parser.parse("AUTH")).isEqualTo(new Pop3Command.Auth(Optional.empty(), Optional.empty()));
    }

    @Test
    void badArguments() {
        for (String bad : new String[] {"RETR", "RETR 0", "RETR -1", "RETR 1 2", "RETR x", "DELE 1234567890",
            "LIST 1 2", "TOP 1", "TOP 1 -1", "USER", "USER a b", "PASS", "STAT 1", "AUTH  x", "UIDL 01x"}) {
            assertThat(Pop3Parser.parse(bad)).as(bad).isInstanceOf(Pop3Command.Invalid.class);
        }
        assertThat(Pop3Parser.parse("XTND XMIT")).isInstanceOf(Pop3Command.Unknown.class);
        assertThat(Pop3Parser.parse("")).isInstanceOf(Pop3Command.Unknown.class);
    }
}
