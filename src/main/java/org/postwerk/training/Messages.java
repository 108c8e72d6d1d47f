package org.postwerk.training;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** The training's messages: plain-text mail of about {@code size} bytes, CRLF. */
final class Messages {
    private static final String[] WORDS = {"invoice", "meeting", "report", "order", "travel", "lunch", "draft",
        "review", "budget", "release"};
    private static final ZonedDateTime EPOCH = ZonedDateTime.of(2026, 1, 5, 9, 0, 0, 0, ZoneOffset.UTC);

    private Messages() {}

    /** For SMTP's DATA: the text with the terminating dot line. */
    static byte[] data(String from, String to, int n, int size) {
        return (text(from, to, n, size) + ".\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String text(String from, String to, int n, int size) {
        StringBuilder m = new StringBuilder(size + 400);
        m.append("From: <").append(from).append(">\r\n")
                .append("To: <").append(to).append(">\r\n")
                .append("Subject: ").append(WORDS[n % WORDS.length]).append(" training ").append(n).append("\r\n")
                .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(EPOCH.plusMinutes(n)))
                .append("\r\n")
                .append("Message-ID: <training.").append(n).append('.').append(System.nanoTime())
                .append("@train.test>\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("\r\n");
        int line = 0;
        while (m.length() < size) {
            m.append("Line ").append(line++).append(" of message ").append(n).append(": the ")
                    .append(WORDS[(n + line) % WORDS.length]).append(" is attached as agreed.\r\n");
        }
        return m.toString();
    }
}
