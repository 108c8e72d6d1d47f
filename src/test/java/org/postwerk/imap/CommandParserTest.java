package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {
    /** One client command as it goes over the wire: {@code \r\n} is CRLF, {@code \0} NUL, {@code \xHH} an octet. */
    static byte[] wire(String escaped) {
        String octets = new String(escaped.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < octets.length(); i++) {
            char c = octets.charAt(i);
            if (octets.startsWith("\\r\\n", i)) {
                b.append("\r\n");
                i += 3;
            } else if (octets.startsWith("\\0", i)) {
                b.append('\0');
                i++;
            } else if (octets.startsWith("\\x", i)) {
                b.append((char) Integer.parseInt(octets.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return (b + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads the command through a real CommandReader (literals and all), then parses it. */
    static ImapCommand parse(String escaped, CommandParser.Limits limits) throws IOException {
        CommandReader reader = new CommandReader(new ByteArrayInputStream(wire(escaped)),
                CommandReader.Limits.DEFAULT, () -> null);
        ReadOutcome outcome = reader.read(a -> true);
        assertThat(outcome).isInstanceOf(ReadOutcome.Ready.class);
        return CommandParser.parse(((ReadOutcome.Ready) outcome).command(), limits);
    }

    static ImapCommand parse(String escaped) throws IOException {
        return parse(escaped, CommandParser.Limits.DEFAULT);
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = CommandParserTest.class.getResourceAsStream("/imap/parser-cases.txt")) {
            String command = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("C: ")) {
                    command = line.substring(3);
                } else if (line.startsWith("P: ")) {
                    cases.add(Arguments.of(command, line.substring(3)));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesLikeTheDataFileSays(String command, String expected) throws IOException {
        ImapCommand parsed = parse(command);
        if (expected.startsWith("BAD")) {
            assertThat(parsed).isInstanceOf(ImapCommand.Invalid.class);
        } else {
            assertThat(parsed).hasToString(expected);
        }
    }

    @Test
    void theDataFileHasTheCommandsOfEveryArea() throws IOException {
        assertThat(cases().count()).isGreaterThan(200);
    }

    @Test
    void appendKeepsTheMessageOctets() throws IOException {
        ImapCommand c = parse("A003 APPEND saved-messages (\\Seen) {9}\\r\\nhi\\r\\nthere");
        ImapCommand.Append append = (ImapCommand.Append) c;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append.message().writeTo(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hi\r\nthere");
        assertThat(append.flags()).isEqualTo(Flags.of("\\Seen"));
    }

    @Test
    void tagsAreKeptForTheReplyAndMissingOnesBecomeUntagged() throws IOException {
        assertThat(parse("A1.x]y FOO").tag()).isEqualTo("A1.x]y");
        assertThat(parse("NOOP")).isEqualTo(new ImapCommand.Invalid("*", "missing or invalid tag"));
        assertThat(parse("a+b NOOP").tag()).isEqualTo("*");
        assertThat(CommandParser.parse(RawCommand.of(""))).isInstanceOf(ImapCommand.Invalid.class);
    }

    @Test
    void secretsStayOutOfToString() throws IOException {
        assertThat(parse("a LOGIN alice s3cret").toString()).doesNotContain("s3cret");
        assertThat(parse("a AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==").toString()).doesNotContain("AGFsaWNl");
    }

    @Test
    void nestingIsBoundedWithoutOverflowingTheStack() throws IOException {
        CommandParser.Limits three = new CommandParser.Limits(3, 100);
        assertThat(parse("a SEARCH NOT NOT ALL", three)).isInstanceOf(ImapCommand.Search.class);
        assertThat(parse("a SEARCH NOT NOT NOT ALL", three)).isInstanceOf(ImapCommand.Invalid.class);
        assertThat(parse("a SEARCH ((ALL))", three)).isInstanceOf(ImapCommand.Search.class);
        assertThat(parse("a SEARCH (((ALL)))", three)).isInstanceOf(ImapCommand.Invalid.class);
        assertThat(parse("a SEARCH OR ALL OR ALL ALL", three)).isInstanceOf(ImapCommand.Search.class);
        assertThat(parse("a SEARCH OR ALL OR ALL OR ALL ALL", three)).isInstanceOf(ImapCommand.Invalid.class);
        // Hostile depth with the default limit: a BAD, not a StackOverflowError.
        String deep = "a SEARCH " + "NOT ".repeat(15_000) + "ALL";
        assertThat(parse(deep)).isEqualTo(new ImapCommand.Invalid("a", "search keys nested too deeply"));
        String parens = "a SEARCH " + "(".repeat(30_000) + "ALL" + ")".repeat(30_000);
        assertThat(parse(parens)).isInstanceOf(ImapCommand.Invalid.class);
    }

    @Test
    void sequenceSetsAreBoundedInRanges() throws IOException {
        CommandParser.Limits limits = new CommandParser.Limits(10, 3);
        assertThat(parse("a FETCH 1,3,5:7 FLAGS", limits)).isInstanceOf(ImapCommand.Fetch.class);
        assertThat(parse("a FETCH 1,3,5:7,9 FLAGS", limits)).isInstanceOf(ImapCommand.Invalid.class);
        assertThat(parse("a SEARCH UID 1,3,5:7,9", limits)).isInstanceOf(ImapCommand.Invalid.class);
    }

    @Test
    void doneEndsIdleInAnyCase() {
        assertThat(CommandParser.isDone(RawCommand.of("DONE"))).isTrue();
        assertThat(CommandParser.isDone(RawCommand.of("done"))).isTrue();
        assertThat(CommandParser.isDone(RawCommand.of("DONE "))).isFalse();
        assertThat(CommandParser.isDone(RawCommand.of("a NOOP"))).isFalse();
    }

    @Test
    void sectionsGoBackAsTheClientWroteThem() throws IOException {
        ImapCommand.Fetch fetch = (ImapCommand.Fetch) parse(
                "a FETCH 1 (BODY.PEEK[4.HEADER.FIELDS.NOT (Received \"X(a)\")]<10.20> BINARY[1.2]<0.5> BINARY.SIZE[]"
                        + " BODY[1.MIME])");
        List<String> names = fetch.items().stream().map(i -> switch (i) {
            case FetchItem.BodySection b -> b.responseName();
            case FetchItem.Binary b -> b.responseName();
            case FetchItem.BinarySize b -> b.responseName();
            case FetchItem.Simple s -> s.attribute().wire();
        }).toList();
        assertThat(names).containsExactly("BODY[4.HEADER.FIELDS.NOT (Received \"X(a)\")]<10>", "BINARY[1.2]<0>",
                "BINARY.SIZE[]", "BODY[1.MIME]");
        assertThat(FetchItem.Attribute.RFC822_SIZE.wire()).isEqualTo("RFC822.SIZE");
    }

    @Test
    void condstoreModifiersAreValues() throws IOException {
        ImapCommand.Store store = (ImapCommand.Store) parse("a UID STORE 1:* (UNCHANGEDSINCE 7) -FLAGS.SILENT $X");
        assertThat(store.unchangedSince()).isEqualTo(OptionalLong.of(7));
        assertThat(store.numbering()).isEqualTo(ImapCommand.Numbering.UID);
        assertThat(store.action()).isEqualTo(new StoreAction(StoreAction.Mode.REMOVE, Flags.of("$X"), true));
        ImapCommand.Select select = (ImapCommand.Select) parse("a SELECT INBOX (QRESYNC (9 10))");
        assertThat(select.params().qresync().map(SelectParams.QResync::uidValidity)).isEqualTo(Optional.of(9L));
    }
}
