package org.postwerk.screen;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.postwerk.config.Addresses;
import org.postwerk.config.Role;
import org.postwerk.config.ScreenConfig;
import org.postwerk.dns.Resolver;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.server.Screening;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The screening of the smtp role: DNS lists looked up at connect and judged at MAIL FROM (so that a client who
 * logs in first is exempt, as Postfix's delayed reject allows), the pregreet wait, and greylisting at RCPT TO.
 * Clients from {@code relay_networks} and other roles are not screened at all; logged-in clients are exempt
 * from everything after the greeting. Every refusal is counted ({@code postwerk_screen_rejected_total} by
 * reason) and logged here with its details; the session logs the {@code rejected} line.
 */
public final class Screen implements Screening, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Screen.class);
    /** How often a changed greylist is written: a crash loses at most this much of it. */
    static final Duration SAVE_EVERY = Duration.ofSeconds(10);

    private final ScreenConfig config;
    private final DnsLists lists;
    private final Greylist greylist; // null when off
    private final MeterRegistry registry;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Thread saver;

    /**
     * @param dataDir the data folder; the greylist lives in {@code greylist/state} there
     */
    public Screen(ScreenConfig config, Resolver resolver, Clock clock, Path dataDir, MeterRegistry registry)
            throws IOException {
        this.config = config;
        Executor lookups = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dnsbl-", 0).factory());
        this.lists = new DnsLists(resolver, config.dnsblSites(), config.dnsblTimeout(), lookups);
        this.registry = registry;
        this.greylist = config.greylist().enabled()
                ? new Greylist(config.greylist(), clock, dataDir.resolve("greylist").resolve("state")) : null;
        this.saver = greylist == null ? null : Thread.ofVirtual().name("greylist-save").start(this::saveLoop);
    }

    @Override
    public Connection open(String session, InetAddress client, Role role, boolean relayClient) {
        if (role != Role.SMTP || relayClient) {
            return new Connection() {};
        }
        return new Screened(session, client, lists.isEmpty() ? null : lists.lookup(client));
    }

    /** One client's screening; used by its session's thread only. */
    private final class Screened implements Connection {
        private final String session;
        private final InetAddress client;
        private final DnsLists.Pending lookups;

        Screened(String session, InetAddress client, DnsLists.Pending lookups) {
            this.session = session;
            this.client = client;
            this.lookups = lookups;
        }

        @Override
        public Duration greetWait() {
            return config.greetWait();
        }

        @Override
        public Reply pregreet() {
            LOG.info("session={} event=pregreet client={}", session, client.getHostAddress());
            count("pregreet");
            return PREGREET;
        }

        @Override
        public Reply atMail(String authUser, String helo, Optional<Mailbox> sender) {
            if (authUser != null) {
                return null;
            }
            DnsLists.Listing l = listing();
            if (l.score() >= config.dnsblThreshold()) {
                count("dnsbl");
                // Postfix's wording, so that operators and senders recognise it (RFC 3463 5.7.1: not authorised).
                return Reply.of(554, 5, 7, 1, "Service unavailable; client [" + Addresses.text(client)
                        + "] blocked using " + String.join(", ", l.blocking()));
            }
            if (config.rhsblSites().isEmpty()) {
                return null;
            }
            Reply domain = sender.map(s -> domainListed("sender domain", s.domain())).orElse(null);
            return domain != null ? domain : domainListed("HELO name", helo);
        }

        /** RFC 5782 §3: a domain list (RHSBL) asked about a domain the client gave us. */
        private Reply domainListed(String what, String domain) {
            if (domain == null || !domain.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
                return null; // an address literal, a bare word, an international name: nothing to ask
            }
            String list = lists.domainListedBy(domain, config.rhsblSites());
            if (list == null) {
                return null;
            }
            LOG.info("session={} event=rhsbl client={} {}={} listed-by={}", session, client.getHostAddress(),
                    what.startsWith("HELO") ? "helo" : "domain", domain, list);
            count("rhsbl");
            return Reply.of(554, 5, 7, 1, "Service unavailable; " + what + " " + domain.toLowerCase(Locale.ROOT)
                    + " blocked using " + list);
        }

        /** The DNS lists' verdict, awaited once (the lookups started at connect), and logged when it says something. */
        private DnsLists.Listing listing() {
            if (lookups == null) {
                return DnsLists.Listing.NONE;
            }
            boolean first = !lookups.done();
            DnsLists.Listing l = lookups.await();
            if (first && (l.score() != 0 || !l.unanswered().isEmpty())) {
                LOG.info("session={} event=dnsbl client={} score={} listed-by={} allowed-by={} unanswered={}",
                        session, client.getHostAddress(), l.score(), String.join(",", l.blocking()),
                        String.join(",", l.allowing()), String.join(",", l.unanswered()));
            }
            return l;
        }

        @Override
        public Reply atRcpt(String authUser, Optional<Mailbox> sender, Mailbox recipient) {
            if (greylist == null || authUser != null || exempt(recipient)) {
                return null;
            }
            if (listing().score() <= config.dnsblAllowlistThreshold()) {
                return null; // DNSWL-listed: a known good sender retries badly, if at all
            }
            String from = sender.map(Mailbox::toString).orElse("");
            Greylist.Decision d = greylist.check(client, from, recipient.toString());
            LOG.info("session={} event=greylist client={} from=<{}> to=<{}> verdict={}", session,
                    client.getHostAddress(), org.postwerk.log.Sanitize.log(from),
                    org.postwerk.log.Sanitize.log(recipient.toString()), d.verdict().name().toLowerCase(Locale.ROOT));
            if (d.verdict() != Greylist.Verdict.GREYLISTED) {
                return null;
            }
            count("greylist");
            // RFC 3463 4.7.1: delivery not authorised, try again; RFC 5321 §4.2.5: 450 keeps the recipient's mail.
            return Reply.of(450, 4, 7, 1, "Greylisted, please try again in " + Math.max(1, d.retryIn().toSeconds())
                    + " seconds");
        }

        private boolean exempt(Mailbox recipient) {
            ScreenConfig.GreylistConfig g = config.greylist();
            String address = recipient.toString().toLowerCase(Locale.ROOT);
            return g.exemptNetworks().stream().anyMatch(n -> n.contains(client))
                    || g.exemptRecipients().stream().anyMatch(r -> r.equals(address) || r.equals(recipient.domainKey()));
        }
    }

    private void count(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder("postwerk.screen.rejected").tag("reason", r)
                .description("Clients and recipients refused by the screening (DNS lists, pregreet, greylisting)")
                .register(registry)).increment();
    }

    private void saveLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(SAVE_EVERY);
                greylist.save();
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warn("event=greylist-save-failed reason=\"{}\"", e.toString());
            }
        }
    }

    /** Stops the periodic save and writes the greylist one last time. */
    @Override
    public void close() throws IOException {
        if (greylist != null) {
            saver.interrupt();
            try {
                saver.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            greylist.save();
        }
    }
}
