package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.io.SpillBuffer;

class CommandReaderTest {
    static final CommandReader.Limits LIMITS =
            new CommandReader.Limits(1024, 4096, 100_000, 4, Long.MAX_VALUE, 2048, 10_000);

    @TempDir
    Path spillDir;

    /**
     * Client input in scripted chunks, one octet per read to cross every buffer boundary. The octets of a
     * synchronizing literal are only "sent" when the reader asks for them through the continuation, as a
     * real client would do; a reader that read on without asking would see the end of the stream.
     */
    static final class Client extends InputStream {
        final Deque<byte[]> waiting = new ArrayDeque<>();
        byte[] current = new byte[0];
        int pos;
        long consumed;

        Client(String first) {
            current = bytes(first);
        }

        void release() {
            if (!waiting.isEmpty()) {
                byte[] next = waiting.poll();
                byte[] rest = java.util.Arrays.copyOfRange(current, pos, current.length);
                current = new byte[rest.length + next.length];
                System.arraycopy(rest, 0, current, 0, rest.length);
                System.arraycopy(next, 0, current, rest.length, next.length);
                pos = 0;
            }
        }

        Client then(String afterContinuation) {
            waiting.add(bytes(afterContinuation));
            return this;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= current.length) {
                return -1;
            }
            b[off] = current[pos++];
            consumed++;
            return 1;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private final List<Long> continuations = new ArrayList<>();

    private CommandReader reader(Client client, CommandReader.Limits limits) {
        return new CommandReader(client, limits, () -> new SpillBuffer(spillDir, 512));
    }

    private ReadOutcome read(CommandReader reader, Client client) throws IOException {
        return reader.read(a -> {
            continuations.add(a.size());
            client.release();
            return true;
        });
    }

    private static List<String> lines(ReadOutcome outcome) {
        assertThat(outcome).isInstanceOf(ReadOutcome.Ready.class);
        return ((ReadOutcome.Ready) outcome).command().lines().stream()
                .map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    private static List<String> literals(ReadOutcome outcome) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Literal l : ((ReadOutcome.Ready) outcome).command().literals()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            l.writeTo(out);
            texts.add(out.toString(StandardCharsets.ISO_8859_1));
        }
        return texts;
    }

    @Test
    void plainLinesWithCrlfOrLf() throws IOException {
        Client client = new Client("a1 NOOP\r\na2 CAPABILITY\nlast");
        CommandReader reader = reader(client, LIMITS);
        assertThat(lines(read(reader, client))).containsExactly("a1 NOOP");
        assertThat(lines(read(reader, client))).containsExactly("a2 CAPABILITY");
        assertThat(read(reader, client)).isEqualTo(new ReadOutcome.Eof(true));
        assertThat(read(reader, client)).isEqualTo(new ReadOutcome.Eof(false));
    }

    @Test
    void synchronizingLiteralsWaitForTheContinuation() throws IOException {
        // RFC 9051 §6.2.3 example, with each literal sent only after "+".
        Client client = new Client("a LOGIN {5}\r\n").then("alice {6}\r\n").then("se\r\nt}\r\na2 NOOP\r\n");
        CommandReader reader = reader(client, LIMITS);
        ReadOutcome outcome = read(reader, client);
        assertThat(lines(outcome)).containsExactly("a LOGIN ", " ", "");
        assertThat(literals(outcome)).containsExactly("alice", "se\r\nt}");
        assertThat(continuations).containsExactly(5L, 6L);
        assertThat(lines(read(reader, client))).containsExactly("a2 NOOP");
    }

    @Test
    void nonSynchronizingAndBinaryLiterals() throws IOException {
        Client client = new Client("a APPEND x ~{3}\r\n\0\1\2 \"y\" {2+}\r\n{}\r\n");
        ReadOutcome outcome = read(reader(client, LIMITS), client);
        assertThat(lines(outcome)).containsExactly("a APPEND x ", " \"y\" ", "");
        assertThat(literals(outcome)).containsExactly("\0\1\2", "{}");
        List<Literal> literals = ((ReadOutcome.Ready) outcome).command().literals();
        assertThat(literals.get(0).binary()).isTrue();
        assertThat(literals.get(1).binary()).isFalse();
        assertThat(continuations).containsExactly(3L);
    }

    @Test
    void tooLongLineIsSkippedAndTheNextCommandRead() throws IOException {
        Client client = new Client("a1 NOOP " + "x".repeat(2000) + "\r\na2 NOOP\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(read(reader, client)).isEqualTo(new ReadOutcome.LineTooLong("a1", "NOOP", true));
        assertThat(lines(read(reader, client))).containsExactly("a2 NOOP");
    }

    @Test
    void tooLongLineEndingInANonSynchronizingLiteralSkipsTheLiteralToo() throws IOException {
        // The literal's octets must not be taken for the next command (they could be one).
        Client client = new Client("a1 X " + "x".repeat(2000) + " {12+}\r\na3 LOGOUT\r\n\r\na2 NOOP\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(read(reader, client)).isEqualTo(new ReadOutcome.LineTooLong("a1", "X", true));
        assertThat(lines(read(reader, client))).containsExactly("a2 NOOP");
    }

    @Test
    void literalBeyondTheLimitIsRefusedBeforeTheClientSendsIt() throws IOException {
        Client client = new Client("a APPEND INBOX {100001}\r\na2 NOOP\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(read(reader, client))
                .isEqualTo(new ReadOutcome.LiteralTooBig("a", "APPEND", 100_001, true, true));
        assertThat(continuations).isEmpty();
        assertThat(lines(read(reader, client))).containsExactly("a2 NOOP");
    }

    @Test
    void stringLiteralsMustFitTheCommandLimitEvenBelowTheLiteralLimit() throws IOException {
        Client client = new Client("a LOGIN {5000}\r\n");
        assertThat(read(reader(client, LIMITS), client))
                .isEqualTo(new ReadOutcome.LiteralTooBig("a", "LOGIN", 5000, true, true));
    }

    @Test
    void tooBigNonSynchronizingLiteralIsDiscardedOrTheStreamGivenUp() throws IOException {
        Client client = new Client("a LOGIN {5000+}\r\n" + "y".repeat(5000) + " x\r\na2 NOOP\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(read(reader, client)).isEqualTo(new ReadOutcome.LiteralTooBig("a", "LOGIN", 5000, false, true));
        assertThat(lines(read(reader, client))).containsExactly("a2 NOOP");

        Client flood = new Client("a LOGIN {20000+}\r\n" + "y".repeat(20000) + "\r\n");
        assertThat(read(reader(flood, LIMITS), flood))
                .isEqualTo(new ReadOutcome.LiteralTooBig("a", "LOGIN", 20000, false, false));
        assertThat(flood.consumed).isLessThan(100); // not read: the session closes the connection
    }

    @Test
    void literalMinusAllowsNonSynchronizingLiteralsUpTo4096() throws IOException {
        // RFC 7888 §5.
        CommandReader.Limits minus = new CommandReader.Limits(1024, 100_000, 100_000, 4,
                CommandReader.Limits.LITERAL_MINUS, 2048, 10_000);
        Client ok = new Client("a LOGIN {4096+}\r\n" + "u".repeat(4096) + " p\r\n");
        assertThat(read(reader(ok, minus), ok)).isInstanceOf(ReadOutcome.Ready.class);
        Client big = new Client("a LOGIN {4097+}\r\n" + "u".repeat(4097) + " p\r\na2 NOOP\r\n");
        CommandReader reader = reader(big, minus);
        assertThat(read(reader, big)).isEqualTo(new ReadOutcome.LiteralTooBig("a", "LOGIN", 4097, false, true));
        assertThat(lines(read(reader, big))).containsExactly("a2 NOOP");
        Client sync = new Client("a LOGIN {4097}\r\n").then("u".repeat(4097) + " p\r\n");
        assertThat(read(reader(sync, minus), sync)).isInstanceOf(ReadOutcome.Ready.class);
    }

    @Test
    void appendContentSpillsAndDoesNotCountAgainstTheCommandLimit() throws IOException {
        String message = "Subject: big\r\n\r\n" + "z".repeat(50_000) + "\r\n";
        Client client = new Client("a APPEND INBOX {" + message.length() + "}\r\n").then(message + "\r\n");
        ReadOutcome outcome = read(reader(client, LIMITS), client);
        Literal literal = ((ReadOutcome.Ready) outcome).command().literals().get(0);
        assertThat(literal).isInstanceOf(Literal.Spilled.class);
        assertThat(literals(outcome)).containsExactly(message);
        assertThat(Files.list(spillDir).count()).isEqualTo(1);
        ((ReadOutcome.Ready) outcome).command().close();
        assertThat(Files.list(spillDir).count()).isZero();
    }

    @Test
    void connectionLostInsideASpilledLiteralLeavesNoFile() throws IOException {
        Client client = new Client("a APPEND INBOX {60000}\r\n").then("z".repeat(30_000));
        assertThat(read(reader(client, LIMITS), client)).isEqualTo(new ReadOutcome.Eof(true));
        assertThat(Files.list(spillDir).count()).isZero();
    }

    @Test
    void numberOfLiteralsIsBounded() throws IOException {
        Client client = new Client("a ID ({1+}\r\na {1+}\r\nb {1+}\r\nc {1+}\r\nd {1+}\r\ne)\r\na2 NOOP\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(read(reader, client)).isEqualTo(new ReadOutcome.TooManyLiterals("a", "ID", true));
        assertThat(lines(read(reader, client))).containsExactly("a2 NOOP");
    }

    @Test
    void theSessionMayRefuseASynchronizingLiteral() throws IOException {
        Client client = new Client("a APPEND Nowhere {10}\r\na2 NOOP\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(reader.read(a -> false)).isEqualTo(new ReadOutcome.Refused("a", "APPEND", 10));
        assertThat(lines(read(reader, client))).containsExactly("a2 NOOP");
    }

    @Test
    void absurdLiteralSizesAreJustTooBig() throws IOException {
        Client client = new Client("a LOGIN {99999999999999999999999}\r\n");
        assertThat(read(reader(client, LIMITS), client))
                .isEqualTo(new ReadOutcome.LiteralTooBig("a", "LOGIN", Long.MAX_VALUE, true, true));
    }

    @Test
    void aLineWithoutEndIsGivenUpAfterABoundedAmount() throws IOException {
        Client client = new Client("a " + "x".repeat(1_000_000));
        assertThat(read(reader(client, LIMITS), client)).isEqualTo(new ReadOutcome.LineTooLong("a", null, false));
        assertThat(client.consumed).isLessThan(LIMITS.maxLine() + LIMITS.maxDiscard() + 8192);
    }

    @Test
    void plainLinesForSaslAndDone() throws IOException {
        Client client = new Client("DONE\r\ndGVzdA== {5}\r\n" + "x".repeat(2000) + "\r\nok\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(lines(reader.readLine())).containsExactly("DONE");
        assertThat(lines(reader.readLine())).containsExactly("dGVzdA== {5}"); // no literal in a SASL line
        assertThat(reader.readLine()).isEqualTo(new ReadOutcome.LineTooLong(null, null, true));
        assertThat(lines(reader.readLine())).containsExactly("ok");
        assertThat(reader.readLine()).isEqualTo(new ReadOutcome.Eof(false));
    }

    @Test
    void switchingStreamsDropsWhatWasBuffered() throws IOException {
        // RFC 9051 §6.2.1: nothing sent before the TLS handshake may be used after it.
        CommandReader reader = new CommandReader(
                new ByteArrayInputStream(bytes("a STARTTLS\r\nb INJECTED\r\n")), LIMITS, () -> null);
        assertThat(lines(reader.read(a -> true))).containsExactly("a STARTTLS");
        assertThat(reader.buffered()).isPositive();
        reader.switchTo(new ByteArrayInputStream(bytes("c NOOP\r\n")));
        assertThat(lines(reader.read(a -> true))).containsExactly("c NOOP");
    }

    @Test
    void limitsCanChangeBetweenCommands() throws IOException {
        // Before login: no APPEND is possible, so a large non-synchronizing literal is not even spilled.
        CommandReader.Limits preAuth = new CommandReader.Limits(1024, 1024, 1024, 2, 1024, 0, 1024);
        Client client = new Client("a APPEND INBOX {5000+}\r\n" + "z".repeat(5000) + "\r\nb LOGIN x y\r\n"
                + "c APPEND INBOX {5000+}\r\n" + "z".repeat(5000) + "\r\n");
        CommandReader reader = reader(client, preAuth);
        assertThat(read(reader, client)).isEqualTo(new ReadOutcome.LiteralTooBig("a", "APPEND", 5000, false, false));

        Client fresh = new Client("b LOGIN x y\r\nc APPEND INBOX {5000+}\r\n" + "z".repeat(5000) + "\r\n");
        reader = reader(fresh, preAuth);
        assertThat(lines(read(reader, fresh))).containsExactly("b LOGIN x y");
        reader.limits(LIMITS);
        ReadOutcome append = read(reader, fresh);
        assertThat(((ReadOutcome.Ready) append).command().literals().get(0)).isInstanceOf(Literal.Spilled.class);
        ((ReadOutcome.Ready) append).command().close();
    }

    @Test
    void limitsMustBeConsistent() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new CommandReader.Limits(1024, 2048, 1 << 20, 4, Long.MAX_VALUE, 4096, 0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new CommandReader.Limits(4096, 2048, 1 << 20, 4, Long.MAX_VALUE, 1024, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLinesCarryNoSecrets() throws IOException {
        Client client = new Client("a1 login alice s3cret\r\na2 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n"
                + "a3 LOGIN {5}\r\n").then("alice {6}\r\ns3cret\r\na4 SELECT \"x\ty\"\r\n");
        CommandReader reader = reader(client, LIMITS);
        assertThat(((ReadOutcome.Ready) read(reader, client)).command().forLog()).isEqualTo("a1 login <redacted>");
        assertThat(((ReadOutcome.Ready) read(reader, client)).command().forLog()).isEqualTo("a2 AUTHENTICATE <redacted>");
        assertThat(((ReadOutcome.Ready) read(reader, client)).command().forLog()).isEqualTo("a3 LOGIN <redacted>");
        assertThat(((ReadOutcome.Ready) read(reader, client)).command().forLog()).isEqualTo("a4 SELECT \"x?y\"");
        assertThat(RawCommand.of("a NOOP " + "x".repeat(500)).forLog()).hasSize(RawCommand.LOG_LENGTH + 3);
    }
}
