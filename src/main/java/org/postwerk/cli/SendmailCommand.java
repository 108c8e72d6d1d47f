package org.postwerk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
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
import org.postwerk.smtp.TlsRequirement;
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
    /** Whether this process may write a folder: {@link Files#isWritable}, or a test's answer (tests run as root). */
    private final Predicate<Path> writable;

    public SendmailCommand() {
        this(System.in, Files::isWritable);
    }

    SendmailCommand(InputStream stdin) {
        this(stdin, Files::isWritable);
    }

    SendmailCommand(InputStream stdin, Predicate<Path> writable) {
        this.stdin = stdin;
        this.writable = writable;
    }

    @Override
    public Integer call() throws Exception {
        ConfigSearch search = configOptions.search();
        Optional<Path> file = search.file();
        if (dataDir == null && file.isPresent() && !Files.notExists(file.get()) && !Files.isReadable(file.get())) {
            // An ordinary user on an installed system (root:postwerk 0640): the server's own port on loopback.
            return viaServer(LocalSubmission.unconfigured(), Long.MAX_VALUE);
        }
        org.postwerk.config.Config config = search.forData(dataDir);
        dataDir = dataDir != null ? dataDir : config.dataDir();
        hostname = hostname != null ? hostname : config.hostname();
        if (!mayWriteSpool()) {
            return viaServer(LocalSubmission.of(config), config.limits().messageSize());
        }
        long limit = config.limits().messageSize();
        Mailbox from;
        try {
            from = AddressParser.parseMailbox(sender != null ? sender : System.getProperty("user.name") + "@" + hostname);
        } catch (AddressParser.SyntaxError e) {
            System.err.println("sendmail: bad sender address: " + e.getMessage());
            return 64; // EX_USAGE, as sendmail(8)
        }
        // The same size limit as SMTP clients get; never more than that in memory.
        // At most one octet beyond the limit, to tell a message that is too large (no overflow: without a
        // configuration the limit is Long.MAX_VALUE, the server's own SIZE then decides).
        byte[] input = stdin.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limit) + 1);
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
                "localhost", msg.tlsNotRequired() ? TlsRequirement.NOT_REQUIRED : TlsRequirement.POLICY);
        return queue(env, signed(msg.complete(from, fullName, hostname, id), env));
    }

    /**
     * Whether the spool is this user's to write: the queue folder (or the data folder before a server made it)
     * is writable, or nothing is there yet (a data folder named before the first start). Under a 0700 data
     * folder of another user nothing inside can even be seen, so the data folder's own answer decides.
     */
    private boolean mayWriteSpool() {
        Path queue = dataDir.resolve("queue");
        if (Files.isDirectory(queue)) {
            return writable.test(queue);
        }
        return !Files.exists(dataDir) || writable.test(dataDir);
    }

    /**
     * Hands the message to the running server over SMTP on loopback ({@link LocalSubmission}): the same header
     * completion, with the host name the server greets with when ours is not known; the server DKIM-signs it
     * as it signs mail from its relay networks, if at all (the keys are not ours to read).
     */
    private int viaServer(LocalSubmission server, long limit) throws IOException {
        // At most one octet beyond the limit, to tell a message that is too large (no overflow: without a
        // configuration the limit is Long.MAX_VALUE, the server's own SIZE then decides).
        byte[] input = stdin.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, limit) + 1);
        if (input.length > limit) {
            System.err.println("sendmail: message larger than limits.message_size (" + limit + " bytes)");
            return 65;
        }
        SendmailMessage msg = SendmailMessage.read(new java.io.ByteArrayInputStream(input), ignoreDots);
        List<String> to = new ArrayList<>(recipients);
        if (fromHeaders) {
            to.addAll(msg.headerRecipients());
            msg.removeBcc();
        }
        if (to.isEmpty()) {
            System.err.println("sendmail: no recipients");
            return 64;
        }
        String id = new QueueIds("s").next(System.currentTimeMillis());
        BodyType body = msg.eightBit() ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT;
        return server.send(greeted -> {
            String host = hostname != null ? hostname : greeted;
            Mailbox from = AddressParser.parseMailbox(sender != null ? sender : System.getProperty("user.name") + "@" + host);
            List<String> rcpts = new ArrayList<>();
            boolean utf8 = from.isInternational();
            for (String t : to) {
                Mailbox m = AddressParser.parseMailbox(t.contains("@") ? t : t + "@" + host);
                utf8 |= m.isInternational();
                rcpts.add(m.toString());
            }
            return new LocalSubmission.Transaction("<" + from + ">", rcpts, body, utf8, msg.complete(from, fullName, host, id));
        });
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
