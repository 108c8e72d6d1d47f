package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.io.SpillBuffer;
import org.postwerk.mailbox.ModifiedUtf7;
import org.postwerk.testkit.Bytes;

/**
 * Random and mutated command streams through the reader and the parser, with a fixed seed: the only outcomes
 * are the documented ones (a command, a refusal, a BAD value, end of stream), never an exception, and every
 * stream is consumed to its end in bounded time.
 */
class CommandFuzzTest {
    private static final long SEED = 0x1A9_2024L;
    /** Small limits, so that every limit is hit often. */
    private static final CommandReader.Limits LIMITS =
            new CommandReader.Limits(1024, 2048, 8192, 3, CommandReader.Limits.LITERAL_MINUS, 256, 4096);
    private static final CommandParser.Limits PARSER = new CommandParser.Limits(20, 50);

    private static final String[] TOKENS = {
        " ", " ", " ", "(", ")", "[", "]", "<", ">", ".", "\"", "\\", "{", "}", "+", "~", "*", "%", "$", ":", ",",
        "\r\n", "\n", "\r", "\0", "\u00e4", "\u00ff", "0", "1", "7", "4294967295", "4294967296",
        "9223372036854775808", "{3}\r\nabc", "{0}\r\n", "{5+}\r\n", "~{2}\r\n\0\1", "{99999999}\r\n", "NIL",
        "UID", "FETCH", "SEARCH", "STORE", "APPEND", "LIST", "SELECT", "LOGIN", "AUTHENTICATE", "SORT", "THREAD",
        "STATUS", "ENABLE", "ID", "CREATE", "SETQUOTA", "COPY", "MOVE", "EXPUNGE", "IDLE", "DONE",
        "BODY[", "BODY.PEEK[", "BINARY[", "HEADER.FIELDS", "HEADER.FIELDS.NOT", "TEXT", "MIME", "NOT", "OR",
        "RETURN", "CHARSET", "UTF-8", "MODSEQ", "CHANGEDSINCE", "VANISHED", "UNCHANGEDSINCE", "QRESYNC",
        "CONDSTORE", "+FLAGS.SILENT", "\\Seen", "\\*", "1:*", "$", "1-Feb-1994", "\"17-Jul-1996 02:44:25 -0700\"",
        "RECURSIVEMATCH", "SUBSCRIBED", "SPECIAL-USE", "USE", "ALL", "FULL", "REVERSE", "REFERENCES", "&AOQ-",
    };

    private static final List<byte[]> CORPUS = new ArrayList<>();

    private int valid;
    private int invalid;
    private int refused;

    @TempDir
    Path spillDir;

    @BeforeAll
    static void loadCorpus() throws IOException {
        CommandParserTest.cases().forEach(a -> CORPUS.add(CommandParserTest.wire((String) a.get()[0])));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void mutatedAndRandomStreamsNeverThrowAndAreReadToTheEnd() throws IOException {
        Random random = new Random(SEED);
        for (int i = 0; i < 6000; i++) {
            byte[] input = i % 3 == 2 ? randomTokens(random) : mutate(random, CORPUS.get(random.nextInt(CORPUS.size())));
            readAll(input, random);
        }
        // The inputs reach deep: many commands parse, many are refused by the parser or by a reader limit.
        assertThat(valid).isGreaterThan(400);
        assertThat(invalid).isGreaterThan(1000);
        assertThat(refused).isGreaterThan(300);
        try (var files = Files.list(spillDir)) {
            assertThat(files.count()).isZero(); // every spilled literal was freed
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void oneLongStreamOfEverythingStaysInStepOrStops() throws IOException {
        Random random = new Random(SEED + 1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 3000; i++) {
            all.writeBytes(i % 2 == 0 ? randomTokens(random) : mutate(random, CORPUS.get(random.nextInt(CORPUS.size()))));
        }
        readAll(all.toByteArray(), random);
    }

    /** Reads commands until the end or until the reader says the stream is lost; returns how many were parsed. */
    private int readAll(byte[] input, Random random) throws IOException {
        CommandReader reader = new CommandReader(new ByteArrayInputStream(input), LIMITS,
                () -> new SpillBuffer(spillDir, 128));
        int parsed = 0;
        for (int rounds = 0; rounds <= input.length + 1; rounds++) {
            boolean plainLine = random.nextInt(20) == 0; // as during AUTHENTICATE or IDLE
            ReadOutcome outcome = plainLine ? reader.readLine() : reader.read(a -> random.nextInt(8) != 0);
            switch (outcome) {
                case ReadOutcome.Ready r -> {
                    try (RawCommand command = r.command()) {
                        check(command);
                        parsed++;
                    }
                }
                case ReadOutcome.Eof e -> {
                    return parsed;
                }
                case ReadOutcome.LineTooLong t -> {
                    refused++;
                    if (!t.inStep()) {
                        return parsed;
                    }
                }
                case ReadOutcome.LiteralTooBig t -> {
                    refused++;
                    assertThat(t.size()).isPositive();
                    if (!t.inStep()) {
                        return parsed;
                    }
                }
                case ReadOutcome.TooManyLiterals t -> {
                    refused++;
                    if (!t.inStep()) {
                        return parsed;
                    }
                }
                case ReadOutcome.Refused r -> assertThat(r.size()).isNotNegative();
            }
        }
        throw new AssertionError("the reader made no progress");
    }

    private void check(RawCommand command) {
        ImapCommand first = CommandParser.parse(command, PARSER);
        ImapCommand again = CommandParser.parse(command, PARSER);
        assertThat(first).isNotNull();
        assertThat(again.toString()).isEqualTo(first.toString()); // pure: same input, same value
        if (first instanceof ImapCommand.Invalid bad) {
            assertThat(bad.reason()).isNotBlank();
            assertThat(bad.tag()).isNotEmpty();
            invalid++;
        } else {
            valid++;
        }
        CommandParser.isDone(command);
    }

    private static byte[] randomTokens(Random random) {
        StringBuilder s = new StringBuilder(random.nextBoolean() ? "a" + random.nextInt(100) + " " : "");
        int n = 1 + random.nextInt(40);
        for (int i = 0; i < n; i++) {
            s.append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        if (random.nextInt(4) == 0) {
            s.append("(".repeat(random.nextInt(200))).append("NOT ".repeat(random.nextInt(200)));
        }
        s.append("\r\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutate(Random random, byte[] original) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = original.clone();
        int mutations = random.nextInt(4); // some untouched, so that valid commands pass through the same loop
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b = Bytes.splice(b, at, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 2 -> b = Bytes.splice(b, at, Math.min(b.length, at + 1 + random.nextInt(8)), new byte[0]);
                case 3 -> b = java.util.Arrays.copyOf(b, at); // truncated: the connection drops mid-command
                case 4 -> {
                    int end = Math.min(b.length, at + 1 + random.nextInt(30));
                    byte[] copy = java.util.Arrays.copyOfRange(b, at, end);
                    b = Bytes.splice(b, at, at, copy);
                }
                default -> b = Bytes.splice(b, at, at, ("{" + random.nextInt(300) + (random.nextBoolean() ? "+" : "")
                        + "}\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        out.writeBytes(b);
        return out.toByteArray();
    }


    @Test
    void modifiedUtf7IsCanonicalAndRoundTrips() {
        Random random = new Random(SEED + 2);
        String alphabet = "&-+,/AZaz09 \u00e4\u4e2d\ud83d\udce7\u0001";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(12);
            for (int k = 0; k < n; k++) {
                s.append(random.nextInt(3) == 0 ? (char) random.nextInt(0x3000) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = s.toString();
            // Strict decoding accepts only what the encoder writes: decode(x) present implies encode of it is x.
            Optional<String> decoded = ModifiedUtf7.decode(text);
            decoded.ifPresent(d -> assertThat(ModifiedUtf7.encode(d)).isEqualTo(text));
            if (text.codePoints().noneMatch(c -> Character.isSurrogate((char) c))) {
                assertThat(ModifiedUtf7.decode(ModifiedUtf7.encode(text))).contains(text);
            }
            MailboxName.parse(text, random.nextBoolean());
        }
    }

    @Test
    void sequenceSetsAgreeWithThemselves() {
        Random random = new Random(SEED + 3);
        for (int i = 0; i < 5000; i++) {
            StringBuilder s = new StringBuilder();
            int n = 1 + random.nextInt(6);
            for (int k = 0; k < n; k++) {
                s.append(k > 0 ? "," : "").append(bound(random));
                if (random.nextBoolean()) {
                    s.append(':').append(bound(random));
                }
            }
            SequenceSet set = SequenceSet.parse(s.toString(), 100);
            assertThat(SequenceSet.parse(set.toString(), 100)).isEqualTo(set); // "3:3" is written "3"
            long max = random.nextInt(25);
            SequenceSet resolved = set.resolve(max);
            List<Long> listed = new ArrayList<>();
            resolved.iterator().forEachRemaining((long x) -> listed.add(x));
            assertThat(listed).hasSize((int) resolved.count()).isSorted().doesNotHaveDuplicates();
            for (long x = 0; x <= max + 1; x++) {
                assertThat(resolved.contains(x)).isEqualTo(listed.contains(x));
            }
        }
    }

    private static String bound(Random random) {
        return random.nextInt(5) == 0 ? "*" : Integer.toString(1 + random.nextInt(30));
    }
}
