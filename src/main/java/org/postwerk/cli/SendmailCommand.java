package org.postwerk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.io.PosixDisk;
import org.postwerk.io.SpillBuffer;
import org.postwerk.policy.DkimSigning;
import org.postwerk.queue.Control;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Intake;
import org.postwerk.queue.QueueIds;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Spool;
import org.postwerk.queue.SpoolWriter;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code postwerk sendmail}: the Unix mail submission interface (cron, scripts, PHP mail()). Reads a message
 * from standard input, completes its header like Postfix's sendmail does, writes it durably into the spool and
 * tells the server (if it runs, at once; otherwise when it starts).
 */
@Command(name = "sendmail",
        description = {"Queue a message read from standard input (sendmail compatible). Mail from a domain with DKIM "
                + "keys is signed as submitted mail is.",
                "Without a configuration or data folder (see --config) nothing is written and the exit status is "
                        + "75 (EX_TEMPFAIL)."})
public final class SendmailCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ConfigOptions configOptions;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (overrides data_dir of the configuration).")
    Path dataDir;

    @Option(names = "--hostname", description = "Our host name (default: hostname of the configuration).")
    String hostname;

    @Option(names = "-t", description = "Take recipients from To, Cc and Bcc (Bcc is removed).")
    boolean fromHeaders;

    @Option(names = {"-i", "-oi"}, description = "A line with a single dot does not end the message.")
    boolean ignoreDots;

    @Option(names = "-f", paramLabel = "SENDER", description = "Envelope sender (default: user@hostname).")
    String sender;

    @Option(names = "-F", paramLabel = "NAME", description = "Full name for a From header that is added.")
    String fullName;

    // Not mixinStandardHelpOptions: its -V would clash with sendmail's -V, and picocli then drops --help too.
    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-o", "-B", "-N", "-R", "-V", "-X"}, hidden = true, description = "Accepted and ignored.")
    List<String> ignored;

    @Parameters(paramLabel = "RECIPIENT", arity = "0..*")
    List<String> recipients = new ArrayList<>();

    private final InputStream stdin;

    public SendmailCommand() {
        this(System.in);
    }

    SendmailCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() throws Exception {
        org.postwerk.config.Config config = configOptions.forData(dataDir);
        dataDir = dataDir != null ? dataDir : config.dataDir();
        hostname = hostname != null ? hostname : config.hostname();
        long limit = config.limits().messageSize();
        Mailbox from;
        try {
            from = AddressParser.parseMailbox(sender != null ? sender : System.getProperty("user.name") + "@" + hostname);
        } catch (AddressParser.SyntaxError e) {
            System.err.println("sendmail: bad sender address: " + e.getMessage());
            return 64; // EX_USAGE, as sendmail(8)
        }
        // The same size limit as SMTP clients get; never more than that in memory.
        byte[] input = stdin.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (input.length > limit) {
            System.err.println("sendmail: message larger than limits.message_size (" + limit + " bytes)");
            return 65; // EX_DATAERR
        }
        SendmailMessage msg = SendmailMessage.read(new java.io.ByteArrayInputStream(input), ignoreDots);
        List<String> to = new ArrayList<>(recipients);
        if (fromHeaders) {
            to.addAll(msg.headerRecipients());
            msg.removeBcc();
        }
        List<Recipient> rcpts = new ArrayList<>();
        for (String t : to) {
            try {
                rcpts.add(Recipient.of(AddressParser.parseMailbox(t.contains("@") ? t : t + "@" + hostname)));
            } catch (AddressParser.SyntaxError e) {
                System.err.println("sendmail: bad recipient address " + t + ": " + e.getMessage());
                return 64;
            }
        }
        if (rcpts.isEmpty()) {
            System.err.println("sendmail: no recipients");
            return 64;
        }
        String id = new QueueIds("q").next(System.currentTimeMillis());
        boolean utf8 = from.isInternational() || rcpts.stream().anyMatch(r -> r.address().isInternational());
        Envelope env = new Envelope(id, Optional.of(from), rcpts, msg.eightBit() ? BodyType.EIGHT_BIT_MIME
                : BodyType.SEVEN_BIT, utf8, null, null, Clock.systemUTC().instant(), System.getProperty("user.name"),
                "localhost");
        return queue(env, signed(msg.complete(from, fullName, hostname, id), env));
    }

    /**
     * The message with the DKIM-Signature fields of the sender's domain on top, as {@code DkimSigning} gives
     * submitted mail (the queue does not sign: mail put there directly would leave unsigned).
     */
    private byte[] signed(byte[] content, Envelope env) throws IOException {
        String fields;
        try (SpillBuffer buffer = new SpillBuffer(dataDir.resolve("spill"), Integer.MAX_VALUE)) {
            buffer.write(content);
            fields = new DkimSigning(new DkimKeys(dataDir), Clock.systemUTC()).sign(env, buffer);
        }
        if (fields.isEmpty()) {
            return content;
        }
        byte[] head = fields.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, out, head.length, content.length);
        return out;
    }

    private int queue(Envelope env, byte[] content) throws IOException {
        Spool spool = new Spool(dataDir.resolve("queue"), new PosixDisk());
        try (Intake.Draft d = new SpoolWriter(spool, Clock.systemUTC(), e -> { }).open(env)) {
            d.out().write(content);
            d.commit();
        }
        new Control(spool).tell(Control.Op.NEW, env.id());
        return 0;
    }
}
