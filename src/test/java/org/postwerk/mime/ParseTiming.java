package org.postwerk.mime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.postwerk.imap.ImapWriter;

/**
 * A quick timing loop (not a test, not JMH): parse time per message for a typical 4 KB message and a 1 MB one,
 * and the cost of FETCH BODYSTRUCTURE ENVELOPE from the cached form. Run with
 * {@code java -cp target/classes:target/test-classes:DEPS org.postwerk.mime.ParseTiming}.
 */
final class ParseTiming {
    private ParseTiming() {
    }

    public static void main(String[] args) throws IOException {
        byte[] small = typical(4 * 1024);
        byte[] large = withAttachment(1024 * 1024);
        System.out.printf("typical message %d octets, large %d octets%n", small.length, large.length);
        for (int round = 0; round < 8; round++) {
            report("parse 4 KB", small, 20_000);
            report("parse 1 MB", large, 200);
            fetch(small, 100_000);
        }
    }

    private static void report(String what, byte[] message, int n) throws IOException {
        long start = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < n; i++) {
            sink += MessageStructure.parse(new ByteArrayInputStream(message)).size();
        }
        double us = (System.nanoTime() - start) / 1000.0 / n;
        System.out.printf("%-12s %10.1f us/message  %8.1f MB/s  (%d)%n", what, us, message.length / us, sink % 7);
    }

    private static void fetch(byte[] message, int n) throws IOException {
        byte[] cached = StructureCodec.encode(MessageStructure.parse(new ByteArrayInputStream(message)));
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            MessageStructure m = StructureCodec.decode(cached);
            ImapWriter w = new ImapWriter(false);
            ImapFormat.body(w.atom("BODYSTRUCTURE"), m.root(), true);
            ImapFormat.envelope(w.atom("ENVELOPE"), m.envelope());
            bytes += w.toByteArray().length;
        }
        double us = (System.nanoTime() - start) / 1000.0 / n;
        System.out.printf("%-12s %10.1f us/message  (cached form %d octets, response %d octets)%n",
                "fetch cached", us, cached.length, bytes / n);
    }

    static byte[] typical(int size) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            b.append("Received: from mx").append(i).append(".example.net (mx.example.net [192.0.2.").append(i)
                    .append("])\n\tby mail.example.org with ESMTPS id ABC").append(i)
                    .append("\n\tfor <user@example.org>; Tue, 1 Mar 2022 12:00:00 +0000\n");
        }
        b.append("""
                DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=s1; h=from:to:subject:date;
                 bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==
                From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.net>
                To: Alice <alice@example.org>, bob@example.org
                Cc: team@example.org
                Subject: Re: [team] the quarterly numbers
                Date: Tue, 1 Mar 2022 12:00:00 +0100
                Message-ID: <20220301120000.ABC@example.net>
                In-Reply-To: <20220228.XYZ@example.org>
                References: <20220227.Q@example.org> <20220228.XYZ@example.org>
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="=_b1"

                --=_b1
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: quoted-printable

                """);
        Random r = new Random(1);
        StringBuilder text = new StringBuilder();
        while (b.length() + 2 * text.length() < size - 200) {
            text.append("word").append(r.nextInt(1000)).append(text.length() % 70 < 7 ? "\n" : " ");
        }
        b.append(text).append("\n--=_b1\nContent-Type: text/html; charset=utf-8\n\n<html><body>")
                .append(text).append("</body></html>\n--=_b1--\n");
        return Corpus.crlf(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    static byte[] withAttachment(int size) {
        byte[] data = new byte[size * 3 / 4];
        new Random(2).nextBytes(data);
        String b64 = Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data);
        String head = new String(typical(2048), StandardCharsets.UTF_8).replace("\r\n", "\n")
                .replace("multipart/alternative; boundary=\"=_b1\"", "multipart/mixed; boundary=\"=_b1\"")
                .replace("--=_b1--\n", "--=_b1\nContent-Type: application/pdf; name=a.pdf\n"
                        + "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=a.pdf\n\n"
                        + b64 + "\n--=_b1--\n");
        return Corpus.crlf(head.getBytes(StandardCharsets.UTF_8));
    }
}
