package org.postwerk.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpInputTest {
    /** Delivers the input in pieces of {@code step} bytes, to cross every buffer boundary. */
    private static SmtpInput input(String text, int step) {
        return input(text, step, SmtpInput.LineEnds.CRLF);
    }

    private static SmtpInput input(String text, int step, SmtpInput.LineEnds lineEnds) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        InputStream slow = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
        return new SmtpInput(slow, 16, lineEnds, () -> {});
    }

    private static String escaped(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a\\r\\n.\\r\\nREST                        | a\\r\\n
            .\\r\\nREST                               | ''
            ..a\\r\\n.\\r\\nREST                      | .a\\r\\n
            a\\n.\\nb\\r\\n.\\r\\nREST                | a\\n.\\nb\\r\\n
            a\\n.\\r\\nb\\r\\n.\\r\\nREST             | a\\n.\\r\\nb\\r\\n
            a\\r.\\rb\\r\\n.\\r\\nREST                | a\\r.\\rb\\r\\n
            a\\r\\n.\\rb\\r\\n.\\r\\nREST             | a\\r\\n\\rb\\r\\n
            a\\r\\n.x\\r\\n.\\r\\nREST                | a\\r\\nx\\r\\n
            a\\r\\n.\\nb\\r\\n.\\r\\nREST             | a\\r\\n\\nb\\r\\n
            a\\n..b\\r\\n.\\r\\nREST                  | a\\n..b\\r\\n
            """)
    void onlyCrLfDotCrLfEndsData(String in, String expected) throws IOException {
        for (int step : new int[] {1, 2, 3, 1000}) {
            SmtpInput input = input(escaped(in), step);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            input.readData(out);
            assertThat(out.toString(StandardCharsets.UTF_8)).as("step %d", step).isEqualTo(escaped(expected));
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            input.readChunk(4, rest); // what follows the end marker is left for the next command
            assertThat(rest.toString(StandardCharsets.UTF_8)).isEqualTo("REST");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\n", "a\r\n.", "a\n.\n"})
    void dataWithoutTheRealEndIsAnEof(String in) {
        assertThatThrownBy(() -> input(in, 1).readData(new ByteArrayOutputStream())).isInstanceOf(EOFException.class);
    }

    @org.junit.jupiter.api.Test
    void commandLines() throws IOException {
        SmtpInput in = input("NOOP\r\nBARE\nTOOLONGLINE\r\nOK\r\n", 3);
        assertThat(in.readLine(10).status()).isEqualTo(SmtpInput.LineStatus.OK);
        assertThat(in.readLine(10).status()).isEqualTo(SmtpInput.LineStatus.BARE_LF);
        assertThat(in.readLine(10).status()).isEqualTo(SmtpInput.LineStatus.TOO_LONG);
        SmtpInput.Line ok = in.readLine(10);
        assertThat(new String(ok.bytes(), 0, ok.length())).isEqualTo("OK");
        assertThat(in.readLine(10)).isNull();
    }

    @org.junit.jupiter.api.Test
    void commandLinesMayEndInABareLfWhenAllowed() throws IOException {
        SmtpInput in = input("NOOP\r\nBARE\nTOOLONGLINE\n\nOK\r\n", 3, SmtpInput.LineEnds.CRLF_OR_LF);
        assertThat(text(in.readLine(10))).isEqualTo("NOOP");
        assertThat(text(in.readLine(10))).isEqualTo("BARE");
        assertThat(in.readLine(10).status()).isEqualTo(SmtpInput.LineStatus.TOO_LONG);
        assertThat(text(in.readLine(10))).isEqualTo("");
        assertThat(text(in.readLine(10))).isEqualTo("OK");
        assertThat(in.readLine(10)).isNull();
    }

    private static String text(SmtpInput.Line line) {
        assertThat(line.status()).isEqualTo(SmtpInput.LineStatus.OK);
        return new String(line.bytes(), 0, line.length(), StandardCharsets.US_ASCII);
    }
}
