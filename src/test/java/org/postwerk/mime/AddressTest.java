package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressTest {
    private static List<Address> parse(String s) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Address.parseList(s));
    }

    @Test
    void mailboxesAndGroups() {
        assertThat(parse("\"Smith, John\" <john@x.org>, bob@y.org")).containsExactly(
                new Address("Smith, John", null, "john", "x.org"), new Address(null, null, "bob", "y.org"));
        assertThat(parse("team: a@x, B <b@x>;, c@x")).containsExactly(new Address(null, null, "team", null),
                new Address(null, null, "a", "x"), new Address("B", null, "b", "x"), new Address(null, null, null, null),
                new Address(null, null, "c", "x"));
    }

    @Test
    void strayTokensNeverStopTheParser() {
        // Found by MimeParserTest's fuzzing: a ">" or "@" that starts no address looped forever.
        assertThat(parse(">")).isEmpty();
        assertThat(parse("a@b>, >c@d")).extracting(Address::mailbox).containsExactly("a", "c");
        assertThat(parse("g: > @ ;")).hasSize(3);
        assertThat(parse("@@@,,;;::<<>>")).isNotNull();
    }
}
