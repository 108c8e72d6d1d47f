package org.postwerk.milter;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One milter packet: a command (or reply) byte and its data. On the wire a 4-byte length in network order counts
 * the command byte and the data. Strings in the data are NUL-terminated; numbers are 4 bytes, network order.
 */
record Packet(byte command, byte[] data) {
    static Packet of(byte command) {
        return new Packet(command, new byte[0]);
    }

    void writeTo(OutputStream out) throws IOException {
        int length = data.length + 1;
        out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length,
                command});
        out.write(data);
    }

    /** The next packet; a length of zero or beyond {@code max} is a protocol error (an IOException). */
    static Packet read(InputStream in, int max) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length;
        try {
            length = data.readInt();
        } catch (EOFException e) {
            throw new EOFException("the milter closed the connection");
        }
        if (length < 1 || length > max) {
            throw new IOException("bad packet length " + Integer.toUnsignedString(length));
        }
        byte command = data.readByte();
        byte[] body = new byte[length - 1];
        data.readFully(body);
        return new Packet(command, body);
    }

    /** The NUL-terminated strings in the data from {@code offset} (a last one without NUL counts too). */
    List<String> strings(int offset) {
        List<String> out = new ArrayList<>();
        int start = offset;
        for (int i = offset; i < data.length; i++) {
            if (data[i] == 0) {
                out.add(new String(data, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        if (start < data.length) {
            out.add(new String(data, start, data.length - start, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    int intAt(int offset) throws IOException {
        if (data.length < offset + 4) {
            throw new IOException("packet '" + (char) command + "' too short");
        }
        return ByteBuffer.wrap(data, offset, 4).getInt();
    }

    /** Builds the data of a packet. Text goes as ISO-8859-1 so that the bytes of a header pass unchanged. */
    static final class Data {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);

        Data string(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            bytes.write(0);
            return this;
        }

        /** Text that is UTF-8 (an address in SMTPUTF8, a HELO name), as bytes with a NUL. */
        Data utf8(String s) {
            bytes.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
            return this;
        }

        Data integer(int v) {
            bytes.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
            return this;
        }

        Data u16(int v) {
            bytes.write(v >>> 8);
            bytes.write(v);
            return this;
        }

        Data raw(byte b) {
            bytes.write(b);
            return this;
        }

        Packet as(byte command) {
            return new Packet(command, bytes.toByteArray());
        }
    }
}
