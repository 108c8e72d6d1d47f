package org.postwerk.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postwerk.smtp.Mailbox;

/**
 * A message as sendmail reads it: LF or CRLF lines from standard input (ending at EOF, or at a lone "." unless
 * -i), header and body split, then completed with the fields RFC 5322 §3.6 requires (Date, From) and a
 * Message-ID, as Postfix's cleanup does for local submissions.
 */
final class SendmailMessage {
    private static final Pattern ADDRESS = Pattern.compile("<([^<>\\s]+@[^<>\\s]+)>|([^\\s,<>\"]+@[^\\s,<>\"]+)");

    private final List<String> header;
    private final byte[] body;

    private SendmailMessage(List<String> header, byte[] body) {
        this.header = header;
        this.body = body;
    }

    static SendmailMessage read(InputStream in, boolean ignoreDots) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        boolean ended = false;
        while (!ended && (c = in.read()) >= 0) {
            if (c == '\n') {
                String l = line.toString(StandardCharsets.UTF_8);
                l = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
                ended = !ignoreDots && l.equals(".");
                if (!ended) {
                    lines.add(l);
                }
                line.reset();
            } else {
                line.write(c);
            }
        }
        if (line.size() > 0) {
            lines.add(line.toString(StandardCharsets.UTF_8));
        }
        int split = lines.indexOf("");
        List<String> header = new ArrayList<>(split < 0 ? lines : lines.subList(0, split));
        if (!header.isEmpty() && !header.getFirst().contains(":")) {
            header.clear(); // no header at all: everything is body
            split = -1;
        }
        List<String> bodyLines = split < 0 ? (header.isEmpty() ? lines : List.of()) : lines.subList(split + 1, lines.size());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String l : bodyLines) {
            b.writeBytes((l + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        return new SendmailMessage(header, b.toByteArray());
    }

    /** Addresses in To, Cc and Bcc (for -t), unfolded. */
    List<String> headerRecipients() {
        List<String> out = new ArrayList<>();
        for (String field : fields()) {
            String name = field.substring(0, field.indexOf(':')).strip().toLowerCase(Locale.ROOT);
            if (name.equals("to") || name.equals("cc") || name.equals("bcc")) {
                Matcher m = ADDRESS.matcher(field.substring(field.indexOf(':') + 1));
                while (m.find()) {
                    out.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        return out;
    }

    void removeBcc() {
        List<String> kept = new ArrayList<>();
        boolean dropping = false;
        for (String l : header) {
            boolean continuation = !l.isEmpty() && (l.charAt(0) == ' ' || l.charAt(0) == '\t');
            if (!continuation) {
                dropping = l.toLowerCase(Locale.ROOT).startsWith("bcc:");
            }
            if (!dropping) {
                kept.add(l);
            }
        }
        header.clear();
        header.addAll(kept);
    }

    boolean eightBit() {
        for (byte x : body) {
            if (x < 0) {
                return true;
            }
        }
        return header.stream().anyMatch(l -> l.chars().anyMatch(ch -> ch >= 0x80));
    }

    /** The message with CRLF line ends, a Received line first and Date/From/Message-ID added when missing. */
    byte[] complete(Mailbox sender, String fullName, String hostname, String id) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        StringBuilder sb = new StringBuilder();
        sb.append("Received: by ").append(hostname).append(" (Postwerk sendmail, from userid ")
                .append(System.getProperty("user.name")).append(")\r\n\tid ").append(id).append("; ").append(date)
                .append("\r\n");
        if (!has("date")) {
            sb.append("Date: ").append(date).append("\r\n");
        }
        if (!has("from")) {
            sb.append("From: ").append(fullName == null ? "" : "\"" + fullName.replace("\"", "") + "\" ")
                    .append("<").append(sender).append(">\r\n");
        }
        if (!has("message-id")) {
            sb.append("Message-ID: <").append(id).append("@").append(hostname).append(">\r\n");
        }
        header.forEach(l -> sb.append(l).append("\r\n"));
        sb.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A {@code TLS-Required: No} field (RFC 8689 §3): the sender sets TLS policies aside for this message. */
    boolean tlsNotRequired() {
        return fields().stream().anyMatch(f -> f.substring(0, f.indexOf(':')).strip().equalsIgnoreCase("TLS-Required")
                && f.substring(f.indexOf(':') + 1).strip().equalsIgnoreCase("No"));
    }

    private boolean has(String name) {
        return fields().stream().anyMatch(f -> f.substring(0, f.indexOf(':')).strip().equalsIgnoreCase(name));
    }

    /** Header fields with folded continuation lines joined. */
    private List<String> fields() {
        List<String> out = new ArrayList<>();
        for (String l : header) {
            if (!out.isEmpty() && !l.isEmpty() && (l.charAt(0) == ' ' || l.charAt(0) == '\t')) {
                out.set(out.size() - 1, out.getLast() + " " + l.strip());
            } else if (l.contains(":")) {
                out.add(l);
            }
        }
        return out;
    }
}
