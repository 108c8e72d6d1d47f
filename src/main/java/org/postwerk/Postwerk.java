package org.postwerk;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.account.Directory;
import org.postwerk.account.HashPool;
import org.postwerk.account.Passwords;
import org.postwerk.auth.arc.ArcVerifier;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimVerifier;
import org.postwerk.auth.dmarc.DmarcReportStore;
import org.postwerk.auth.dmarc.DmarcVerifier;
import org.postwerk.auth.dmarc.OrganizationalDomains;
import org.postwerk.auth.spf.SpfVerifier;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigException;
import org.postwerk.config.ConfigProblem;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.DaneConfig;
import org.postwerk.config.MtaStsConfig;
import org.postwerk.config.Role;
import org.postwerk.delivery.Courier;
import org.postwerk.delivery.DeliveryMeters;
import org.postwerk.dane.DnssecLookup;
import org.postwerk.dane.TlsaLookup;
import org.postwerk.dns.DnsMeters;
import org.postwerk.journal.JournalMeters;
import org.postwerk.net.SessionMeters;
import org.postwerk.ops.Health;
import org.postwerk.ops.OpsServer;
import org.postwerk.queue.QueueMeters;
import org.postwerk.reports.DailyReports;
import org.postwerk.reports.Destinations;
import org.postwerk.reports.Outbox;
import org.postwerk.reports.ReportCourier;
import org.postwerk.reports.ReportMail;
import org.postwerk.reports.ReportSchedule;
import org.postwerk.reports.TlsReportStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import org.postwerk.delivery.Inbound;
import org.postwerk.io.Disk;
import org.postwerk.io.PosixDisk;
import org.postwerk.io.DiskSpace;
import org.postwerk.journal.Checkpoints;
import org.postwerk.journal.Journal;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.dns.Resolver;
import org.postwerk.policy.DkimSigning;
import org.postwerk.policy.MessageAuthentication;
import org.postwerk.screen.Screen;
import org.postwerk.delivery.LocalCourier;
import org.postwerk.delivery.MxCourier;
import org.postwerk.delivery.MxSettings;
import org.postwerk.delivery.RouteSettings;
import org.postwerk.delivery.Router;
import org.postwerk.delivery.Scheduler;
import org.postwerk.delivery.SchedulerSettings;
import org.postwerk.queue.Queue;
import org.postwerk.queue.Spool;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.smtp.client.ClientTimeouts;
import org.postwerk.tls.ClientTls;
import org.postwerk.sts.Policies;
import org.postwerk.sts.PolicyFetch;
import org.postwerk.sts.PublishedPolicy;
import org.postwerk.tls.TlsResults;
import org.postwerk.sasl.LoginBudget;
import org.postwerk.sasl.Sasl;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.Mailbox;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.smtp.server.RateLimits;
import org.postwerk.srs.Srs;
import org.postwerk.srs.SrsCourier;
import org.postwerk.srs.SrsDirectory;
import org.postwerk.srs.SrsSecret;
import org.postwerk.net.UserSlots;
import org.postwerk.net.Listener;
import org.postwerk.smtp.server.RelayPolicy;
import org.postwerk.smtp.server.SaslAuthentication;
import org.postwerk.smtp.server.SessionServices;
import org.postwerk.smtp.server.SessionSettings;
import org.postwerk.smtp.server.SmtpSession;
import org.postwerk.config.ImapConfig;
import org.postwerk.imap.CommandReader;
import org.postwerk.imap.server.ImapServices;
import org.postwerk.imap.server.ImapSession;
import org.postwerk.imap.server.ImapSettings;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.pop3.Pop3Services;
import org.postwerk.pop3.Pop3Session;
import org.postwerk.pop3.Pop3Settings;
import org.postwerk.mailbox.maildir.DirectChangeLog;
import org.postwerk.mailbox.maildir.Folders;
import org.postwerk.mailbox.maildir.JournalChangeLog;
import org.postwerk.mailbox.maildir.MailboxReplay;
import org.postwerk.mailbox.maildir.MaildirAccess;
import org.postwerk.store.MailboxStore;
import org.postwerk.store.LegacyFolders;
import org.postwerk.store.Maildir;
import org.postwerk.service.DataFolder;
import org.postwerk.service.Listeners;
import org.postwerk.service.LiveSettings;
import org.postwerk.service.ReloadOutcome;
import org.postwerk.service.StartChecks;
import org.postwerk.service.StartFailure;
import org.postwerk.service.StartProblem;
import org.postwerk.acme.AcmeFiles;
import org.postwerk.acme.AcmeRenewal;
import org.postwerk.acme.Http01Answers;
import org.postwerk.config.TlsConfig;
import org.postwerk.tls.CertifiedKey;
import org.postwerk.tls.PemCertificate;
import org.postwerk.tls.ServerCertificates;
import org.postwerk.tls.ServerTls;
import org.postwerk.tls.TlsContexts;
import org.postwerk.web.MailEndpoints;
import org.postwerk.web.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component from the configuration with {@code new}, starts them in
 * order and stops them in reverse. Nothing else in the code base wires components together.
 */
public final class Postwerk implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Postwerk.class);
    /** Destination domains that get a delivery series of their own (DeliveryMeters); the rest count as other. */
    private static final int TOP_DESTINATIONS = 50;
    /** How often a handshake may look whether the certificate files were replaced. */
    private static final Duration CERTIFICATE_CHECK = Duration.ofSeconds(2);

    private volatile Config config; // a reload replaces its live settings (LiveSettings)
    private Listeners listeners;
    private DataFolder dataFolder;
    private ConnectionLimiter limiter;
    private RateLimits rates;
    private Srs srs; // null when [srs] is off
    private Directory directory; // the accounts, with the SRS addresses when SRS is on
    private volatile ServerTls tls;
    private ServerCertificates certificates; // the first: the web listeners keep it across reloads
    private AcmeRenewal acme; // null when [acme] is off
    private Parts parts;
    private boolean started;
    private volatile SessionServices services;
    private volatile ImapServices imap;
    private volatile Pop3Services pop3;
    private final List<WebServer> webServers = new ArrayList<>();
    /** One per listener, so that a reload's new session factory counts in the same meters. */
    private final java.util.Map<ListenerConfig, SessionMeters> sessionMeters = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.locks.ReentrantLock reloading = new java.util.concurrent.locks.ReentrantLock();

    /** What the session services are made of that a reload keeps. */
    private record Parts(AccountStore accounts, Maildir maildir, Sasl sasl, MessageAuthentication.Verifiers verifiers,
                         UserSlots imapSlots, UserSlots pop3Slots) {}
    private volatile Queue queue; // read by the checkpoint thread
    private MxCourier mx;
    private MxCourier reportMx; // report mail: no TLS policies, no TLS results (RFC 8460 §3)
    private TlsReportStore tlsReports; // null when [reports] tls_rpt is off
    private ReportSchedule reportSchedule;
    private Scheduler scheduler;
    private DmarcReportStore dmarcReports;
    private Screen screen;
    private volatile Journal journal; // read by /health
    private Checkpoints checkpoints;
    private HashPool hashes;
    private Folders folders;
    private final PrometheusMeterRegistry meters = OpsServer.newRegistry();
    private OpsServer ops;

    private Postwerk(Config config) {
        this.config = config;
    }

    /** Starts a server; on failure everything already started is stopped again. */
    public static Postwerk start(Config config) throws IOException {
        Postwerk p = new Postwerk(config);
        try {
            p.startComponents();
            return p;
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void startComponents() throws IOException {
        Path data = config.dataDir();
        Disk disk = new PosixDisk();
        // Ports, folder, lock and certificate first: each failure is one line naming the thing (issue 12).
        Optional<StartProblem> folder = DataFolder.check(data);
        if (folder.isPresent()) {
            throw folder.get().failure();
        }
        disk.createDirectories(data);
        dataFolder = DataFolder.lock(data);
        Listeners.probe(config.listeners());
        startOps(data); // before the queue loads: /health says "not ready" meanwhile
        certificates = certificates(config);
        tls = serverTls(config, certificates);
        limiter = new ConnectionLimiter(config.limits(), config.relayNetworks());
        listeners = new Listeners(limiter, this::sessionMeters);
        clearSpill(data.resolve("spill"));
        AccountStore accounts = accounts(config, data);
        Maildir maildir = journaledMaildir(data, disk);
        srs = config.srs().enabled() ? new Srs(SrsSecret.load(config.srs().secretFileIn(config)),
                config.srs().domainIn(config), config.srs().maxAge(), Clock.systemUTC()) : null;
        renameLegacyFolders(disk, data.resolve("mail"), accounts);
        maildir.sweep(Instant.now()); // a crash's leftovers in tmp/; compared with file times: wall-clock
        Resolver dns = new DnsjavaResolver(
                config.dns().servers().isEmpty() ? DnsjavaResolver.systemServers() : config.dns().servers(),
                config.dns().timeout(), 1, new DnsCache(Clock.systemUTC(), 10_000, Duration.ofHours(1)),
                new DnsMeters(meters));
        directory = srs == null ? accounts : new SrsDirectory(accounts, srs);
        tlsReports = config.reports().tlsRpt() ? new TlsReportStore(data.resolve("tls-rpt"), Clock.systemUTC()) : null;
        startQueue(maildir, dns, disk);
        screen = new Screen(config.screen(), dns, Clock.systemUTC(), data, meters);
        dmarcReports = new DmarcReportStore(data.resolve("dmarc"), Clock.systemUTC(), Duration.ofSeconds(5));
        startReports(dns);
        parts = new Parts(accounts, maildir, logins(accounts), new MessageAuthentication.Verifiers(
                new SpfVerifier(dns, config.hostname()), new DkimVerifier(dns, Clock.systemUTC()),
                new DmarcVerifier(dns, OrganizationalDomains.from(config.auth().publicSuffixList())),
                new ArcVerifier(dns, Clock.systemUTC()), new DkimKeys(data), dmarcReports),
                new UserSlots(config.imap().connectionsPerUser()), new UserSlots(config.pop3().connectionsPerUser()));
        services(config);
        listeners.start(sessionListeners(config), this::factory);
        Http01Answers http01 = new Http01Answers();
        WebServer.Content content = new WebServer.Content(MailEndpoints.of(config),
                PublishedPolicy.of(config.mtaSts(), config.hostname()), http01);
        for (ListenerConfig l : config.listeners()) {
            if (l.role().isWeb()) {
                WebServer web = new WebServer(l.role(), l.address(), config.web(), content,
                        certificates.httpsContext(), tls.parameters());
                web.start();
                webServers.add(web);
            }
        }
        if (config.acme().enabled()) {
            // The web listeners keep the certificates they started with, so the challenges go there.
            acme = AcmeRenewal.of(config, http01, certificates);
            acme.start();
        }
        started = true;
    }

    /** The services every session of {@code c} talks to (made again by a reload). */
    private void services(Config c) throws IOException {
        Path data = c.dataDir();
        Parts p = parts;
        if (rates == null) {
            rates = new RateLimits(c.rateLimits(), c.relayNetworks(), c.limits().perNetwork().ipv4Prefix(),
                    c.limits().perNetwork().ipv6Prefix(), Clock.systemUTC(), meters);
        } else {
            rates.update(c.rateLimits(), c.relayNetworks()); // the counts so far stay
        }
        services = new SessionServices(directory, new Inbound(p.maildir(), queue),
                new RelayPolicy(c.relayNetworks()), socket -> tls.wrapServer(socket),
                new SaslAuthentication(p.sasl()), new MessageAuthentication(p.verifiers(), c.auth(), c.hostname()),
                new DkimSigning(new DkimKeys(data), Clock.systemUTC()), data.resolve("spill"), 64 * 1024,
                Clock.systemUTC(), DiskSpace.of(data, c.storage().minFree()), screen, rates);
        imap = new ImapServices(p.sasl(), login -> mailAccess(p.accounts(), p.maildir(), login), p.imapSlots(),
                socket -> tls.wrapServer(socket), data.resolve("spill"), Clock.systemUTC());
        pop3 = new Pop3Services(p.sasl(), login -> mailAccess(p.accounts(), p.maildir(), login), p.pop3Slots(),
                socket -> tls.wrapServer(socket));
    }

    /** The sessions of one listener, with the settings and services in force now. */
    private Listener.Factory factory(ListenerConfig l) {
        Config c = config;
        SessionMeters counted = sessionMeters(l);
        return l.role().isSmtp()
                ? SmtpSession.factory(new SessionSettings(c.hostname(), l, c.limits(), c.timeouts(), c.smtp(),
                        postmaster()), withMilters(services, c, l), limiter, counted)
                : l.role().isPop3() ? Pop3Session.factory(pop3Settings(l), pop3, limiter)
                : ImapSession.factory(imapSettings(l), imap, limiter, counted);
    }

    /** The listener's milters, in its order, around the other inbound checks. */
    private static SessionServices withMilters(SessionServices s, Config c, ListenerConfig l) {
        if (l.milters().isEmpty()) {
            return s;
        }
        return s.withChecks(new org.postwerk.milter.Milters(s.checks(),
                l.milters().stream().map(n -> c.milters().named(n)).toList(), c.milters().junkHeaders(), c.hostname()));
    }

    private SessionMeters sessionMeters(ListenerConfig l) {
        return sessionMeters.computeIfAbsent(l, k -> new SessionMeters(meters, k.role(), k.address()));
    }

    /**
     * The certificates of every TLS listener, each file watched for a replacement on disk: by SNI name the extra
     * ones, then the ACME one; for other clients the operator's, else the ACME one once issued, else the
     * self-signed one.
     */
    private static ServerCertificates certificates(Config c) throws StartFailure {
        try {
            List<Supplier<CertifiedKey>> byName = new ArrayList<>();
            for (TlsConfig.Pair p : c.tls().extra()) {
                byName.add(PemCertificate.load(p.certificate(), p.key(), CERTIFICATE_CHECK));
            }
            List<Supplier<CertifiedKey>> acme = new ArrayList<>();
            if (c.acme().enabled()) {
                Path issued = AcmeFiles.in(c.dataDir()).certificate();
                acme.add(PemCertificate.watch(issued, issued, CERTIFICATE_CHECK));
            }
            if (c.tls().certificate().isPresent()) {
                byName.addAll(acme);
                return new ServerCertificates(byName, List.of(PemCertificate.load(c.tls().certificate().get(),
                        c.tls().key().orElseThrow(), CERTIFICATE_CHECK)));
            }
            CertifiedKey selfSigned = TlsContexts.selfSignedPair(c.dataDir().resolve("tls"), c.hostname());
            acme.add(() -> selfSigned);
            return new ServerCertificates(byName, acme);
        } catch (IOException e) {
            throw new StartFailure(StartChecks.tls(c.tls()).orElse(new StartProblem(StartProblem.Exit.CANNOT_CREATE,
                    "tls", String.valueOf(e.getMessage()), "the data folder's tls/ must be writable")), e);
        }
    }

    private static ServerTls serverTls(Config c, ServerCertificates certificates) {
        SSLContext context = certificates.context();
        return new ServerTls(() -> context, c.timeouts().command(), c.tls().protocols());
    }

    /**
     * Puts a new configuration in force for the sessions that begin from now on, or refuses it whole (the
     * running one stays) when a check finds a problem. Sessions in progress keep their settings; listeners
     * are opened and closed; what cannot change live is named ({@link LiveSettings}).
     */
    public ReloadOutcome reload(Config next) {
        reloading.lock();
        try {
            Config running = config;
            Config effective = LiveSettings.effective(running, next);
            List<String> problems = StartChecks.problems(effective).stream().map(StartProblem::line).toList();
            if (!problems.isEmpty()) {
                return new ReloadOutcome.Refused(problems);
            }
            ServerTls nextTls = serverTls(effective, certificates(effective));
            limiter.update(effective.limits(), effective.relayNetworks());
            tls = nextTls;
            config = effective;
            services(effective);
            List<String> notes = new ArrayList<>(listeners.update(sessionListeners(effective), this::factory));
            if (!otherListeners(running).equals(otherListeners(effective))) {
                notes.add("web, http or ops listeners changed: needs a restart");
            }
            LiveSettings.needRestart(running, next).forEach(k -> notes.add(k + " changed: needs a restart"));
            return new ReloadOutcome.Applied(notes);
        } catch (IOException e) {
            return new ReloadOutcome.Refused(List.of(e.getMessage()));
        } finally {
            reloading.unlock();
        }
    }

    /** The listeners whose connections are sessions of ours (SMTP, IMAP, POP3), each a {@code net.Listener}. */
    private static List<ListenerConfig> sessionListeners(Config c) {
        return c.listeners().stream().filter(l -> l.role() != Role.OPS && !l.role().isWeb()).toList();
    }

    /** The HTTP listeners (web, http, ops): started once, changed only by a restart. */
    private static List<ListenerConfig> otherListeners(Config c) {
        return c.listeners().stream().filter(l -> l.role() == Role.OPS || l.role().isWeb()).toList();
    }

    /** The operators' listener, when one is configured: metrics, and health from the components' state. */
    private void startOps(Path data) throws IOException {
        Optional<ListenerConfig> l = config.listeners().stream().filter(c -> c.role() == Role.OPS).findFirst();
        if (l.isEmpty()) {
            return;
        }
        ops = new OpsServer(l.get().address(), meters, new Health(List.of(
                new Health.Check("listeners", () -> {
                    List<Listener> open = listeners();
                    return open.size() == sessionListeners(config).size() && open.stream().allMatch(Listener::accepting);
                }),
                new Health.Check("journal", () -> journal != null ? journal.writable()
                        : java.nio.file.Files.isWritable(data.resolve("queue"))),
                new Health.Check("queue", () -> queue != null))));
        ops.start();
    }

    private ImapSettings imapSettings(ListenerConfig l) {
        ImapConfig c = config.imap();
        CommandReader.Limits reader = new CommandReader.Limits(64 * 1024, c.commandSize(), c.appendLimit(), 256,
                Long.MAX_VALUE, 64 * 1024, c.appendLimit());
        return new ImapSettings(config.hostname(), l, reader, c.idle(), c.login(), config.limits().authFailures(),
                config.limits().authFailureDelay(), c.appendLimit());
    }

    private Pop3Settings pop3Settings(ListenerConfig l) {
        return new Pop3Settings(config.hostname(), l, config.pop3().idle(), config.pop3().login(),
                config.limits().errors(), config.limits().authFailures(), config.limits().authFailureDelay());
    }

    /** The mail of a logged-in account: its Maildir, through the folders every session shares. */
    private MailAccess mailAccess(AccountStore accounts, Maildir maildir, String login) throws IOException {
        String account = accounts.account(login).orElseThrow(() -> new IOException("no account " + login));
        return new MaildirAccess(folders, maildir.folder(account, MailboxStore.INBOX),
                config.imap().quota() == 0 ? -1 : config.imap().quota());
    }

    /** SASL for every listener: passwords checked on the bounded hash pool, failed logins on one budget. */
    private Sasl logins(AccountStore accounts) {
        hashes = new HashPool(config.login().hashThreads(), config.login().hashQueue());
        return new Sasl(new Passwords(accounts, hashes),
                new LoginBudget(config.login().failuresPerMinute(), Clock.systemUTC()));
    }

    /**
     * The Maildir store; with {@code [storage] journal}, through the write-ahead journal, whose records from an
     * earlier run are replayed first into the Maildirs and the queue spool (a crash may have lost files
     * written since the last checkpoint), and which a background thread checkpoints at the configured interval.
     */
    private Maildir journaledMaildir(Path data, Disk disk) throws IOException {
        Path mail = data.resolve("mail");
        if (!config.storage().journal()) {
            folders = new Folders(mail, disk, null, 0, Clock.systemUTC());
            folders.log(new DirectChangeLog(folders));
            return new Maildir(mail, config.hostname(), disk, null, 0, folders::delivered);
        }
        journal = new Journal(data.resolve("journal"), disk, new JournalMeters(meters));
        long max = config.storage().journalMaxMessage();
        folders = new Folders(mail, disk, null, max, Clock.systemUTC());
        folders.log(new JournalChangeLog(journal, folders));
        Maildir maildir = new Maildir(mail, config.hostname(), disk, journal, max, folders::delivered);
        Spool spool = new Spool(data.resolve("queue"), disk);
        MailboxReplay mailboxes = new MailboxReplay(mail, disk);
        journal.recover(entries -> {
            List<Path> touched = new ArrayList<>(mailboxes.replay(entries)); // first: it follows moved messages
            touched.addAll(maildir.replay(entries, mailboxes.handled()));
            touched.addAll(spool.replay(entries));
            return touched;
        });
        journal.beforeSync(folders::checkpoint); // folder indexes, before the sync that lets the records go
        checkpoints = new Checkpoints(journal, config.storage().checkpoint(), config.storage().checkpointSize(),
                this::writeWaitingEnvelopes);
        return maildir;
    }

    /** Old, ambiguous folder names are renamed, or the start is refused (after the journal replay). */
    private static void renameLegacyFolders(Disk disk, Path mail, AccountStore accounts) throws IOException {
        switch (LegacyFolders.migrate(disk, mail, accounts.mailboxes())) {
            case LegacyFolders.Outcome.Migrated m -> m.moves().forEach(move -> LOG.info(
                    "folder of {} renamed from {} to {}", move.account(), move.from(), move.to()));
            case LegacyFolders.Outcome.Refused r -> throw new ConfigException(r.conflicts().stream()
                    .map(c -> new ConfigProblem(c.folder().toString(), 0, "", c.problem())).toList());
        }
    }

    /** Queue entries a second old or more get their envelope file, so {@code postwerk queue list} sees them. */
    private void writeWaitingEnvelopes() throws IOException {
        Queue q = queue;
        if (q != null) {
            q.writeJournaledEnvelopes(Duration.ofSeconds(1));
        }
    }

    /** Messages being received when the process last stopped: never acknowledged, so never needed. */
    private static void clearSpill(Path spill) throws IOException {
        if (!java.nio.file.Files.isDirectory(spill)) {
            return;
        }
        try (var files = java.nio.file.Files.list(spill)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.deleteIfExists(f);
            }
        }
    }

    /** The account store of a data directory, with the configuration's local domains and postmaster. */
    public static AccountStore accounts(Config config, Path dataDir) {
        return new AccountStore(dataDir.resolve("accounts"), new AccountSettings(Set.copyOf(config.localDomains()),
                Optional.of(config.smtp().postmaster()), "+"));
    }

    /** The daily TLS-RPT and DMARC reports, queued as mail from {@code [reports] from}. */
    private void startReports(Resolver dns) throws IOException {
        Config c = config;
        DailyReports daily = new DailyReports(new DailyReports.Settings(c.reports().organizationIn(c),
                c.reports().contactIn(c), c.hostname()),
                new Destinations(dns, OrganizationalDomains.from(c.auth().publicSuffixList())), tlsReports,
                c.reports().dmarcIn(c) ? dmarcReports : null, new ReportMail(c.reports().fromIn(c), c.hostname()),
                new Outbox.Queued(queue, reportSender(), new DkimSigning(new DkimKeys(c.dataDir()), Clock.systemUTC()),
                        c.dataDir().resolve("spill")), Clock.systemUTC());
        reportSchedule = new ReportSchedule(daily, tlsReports, Clock.systemUTC(), c.reports().maxDelay());
        reportSchedule.start();
    }

    private Mailbox reportSender() {
        try {
            return AddressParser.parseMailbox(config.reports().fromIn(config));
        } catch (AddressParser.SyntaxError e) {
            throw new IllegalArgumentException("reports.from: " + e.getMessage());
        }
    }

    /** The durable queue and its delivery side: local Maildir or remote SMTP by MX, overrides and smarthosts. */
    private void startQueue(Maildir maildir, Resolver dns, Disk disk) throws IOException {
        Mailbox postmaster = postmaster();
        queue = new Queue(config.dataDir().resolve("queue"), new QueueSettings(new RetrySchedule(
                config.queue().retrySchedule(), config.queue().maxLifetime(), config.queue().delayWarning()),
                config.hostname(), Optional.of(postmaster), config.queue().dsnMaxReturn()), Clock.systemUTC(),
                disk, journal, config.storage().journalMaxMessage());
        if (journal != null) {
            journal.beforeSync(queue::writeJournaledEnvelopes); // entries still waiting need their envelope file
        }
        QueueMeters.register(meters, queue);
        List<RouteSettings> routes = config.routes().stream().map(r -> new RouteSettings(r.domain(), r.host(),
                r.port(), r.implicitTls(), r.requireTls(), r.authUser(), r.authPassword())).toList();
        MtaStsConfig sts = config.mtaSts();
        TlsResults results = tlsReports == null ? TlsResults.NONE : tlsReports;
        ClientTls verified = sts.caFile().isPresent() ? ClientTls.systemTrustPlus(sts.caFile().get())
                : ClientTls.systemTrust();
        Policies policies = !sts.enabled() ? null : new Policies(dns, new PolicyFetch(dns, verified, 443,
                sts.fetchTimeout()), config.dataDir().resolve("mta-sts"), sts.cacheSize(), Clock.systemUTC(),
                results);
        MxSettings mxSettings = new MxSettings(new ClientSettings(config.hostname(), ClientTimeouts.RFC5321), 25,
                verified, Duration.ofSeconds(30));
        mx = new MxCourier(dns, mxSettings, routes, policies, daneLookup(), results);
        reportMx = new MxCourier(dns, mxSettings, routes, null, TlsResults.NONE);
        // Forwarded copies leave with an SRS sender; bounces to SRS addresses find their way back (SrsDirectory).
        Courier forwarding = srs == null ? mx : new SrsCourier(mx, srs, directory, config.relayNetworks(),
                config.srs().excludeDomains());
        // Report mail, told by its sender, is ours and never forwarded: around SRS, so its sender is never rewritten.
        Courier remote = new ReportCourier(reportSender(), reportMx, forwarding);
        scheduler = new Scheduler(queue, new Router(directory, new LocalCourier(maildir), remote),
                new SchedulerSettings(config.queue().concurrency(), config.queue().perDestination(),
                        Duration.ofSeconds(1)), Clock.systemUTC(), new DeliveryMeters(meters, TOP_DESTINATIONS));
        scheduler.start();
    }

    /**
     * The DNSSEC-aware lookups for DANE (ADR 0019), or null when DANE is off. The AD bit is only believed from a
     * resolver on loopback (RFC 7672 §2.1.1: the path to it must be secure) or one the operator declares trusted;
     * otherwise DANE stays off and the log says why.
     */
    private TlsaLookup daneLookup() throws IOException {
        DaneConfig dane = config.dane();
        if (!dane.enabled()) {
            return null;
        }
        List<InetSocketAddress> servers = config.dns().servers().isEmpty() ? DnsjavaResolver.systemServers()
                : config.dns().servers();
        if (dane.validation() == DaneConfig.Validation.LOCAL) {
            LOG.info("DANE on: validating DNSSEC from the trust anchors in {}", dane.trustAnchor().orElseThrow());
            return DnssecLookup.local(servers, dane.trustAnchor().orElseThrow(), config.dns().timeout());
        }
        List<InetSocketAddress> remote = servers.stream().filter(a -> a.getAddress() == null
                || !a.getAddress().isLoopbackAddress()).toList();
        if (!remote.isEmpty() && !dane.trustedResolver()) {
            LOG.warn("DANE off: the resolvers {} are not on loopback, so their AD bit proves nothing; run a "
                    + "validating resolver on this host, or set dane.trusted_resolver = true, or dane.validation = "
                    + "\"local\"", remote);
            return null;
        }
        LOG.info("DANE on: trusting the AD bit of the resolvers {}", servers);
        return DnssecLookup.resolverAd(servers, config.dns().timeout());
    }

    private Mailbox postmaster() {
        try {
            return AddressParser.parseMailbox(config.smtp().postmaster());
        } catch (AddressParser.SyntaxError e) {
            throw new IllegalArgumentException("smtp.postmaster: " + e.getMessage());
        }
    }

    public Config config() {
        return config;
    }

    public List<Listener> listeners() {
        return listeners == null ? List.of() : listeners.all();
    }

    /** The web listeners ({@code web}, {@code http}). */
    public List<WebServer> webServers() {
        return List.copyOf(webServers);
    }

    /** The operators' listener's address, when there is one. */
    public Optional<InetSocketAddress> opsAddress() {
        return Optional.ofNullable(ops).map(OpsServer::address);
    }

    /** Stops accepting, sends 421 to idle sessions and lets busy ones finish their message (10 s at most). */
    @Override
    public void close() {
        // All listeners stop accepting first, then share one grace period; the queue closes only after.
        List<Listener> all = listeners == null ? List.of() : listeners.withRetired();
        all.forEach(Listener::stopAccepting);
        if (acme != null) {
            acme.close();
        }
        webServers.forEach(WebServer::close);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        all.forEach(l -> l.awaitSessions(deadline));
        if (hashes != null) {
            hashes.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (mx != null) {
            mx.close();
        }
        if (reportMx != null) {
            reportMx.close();
        }
        if (reportSchedule != null) {
            reportSchedule.close(); // the TLS counts' last flush
        }
        if (screen != null) {
            try {
                screen.close(); // the greylist's last state
            } catch (IOException e) {
                LOG.warn("greylist save: {}", e.toString());
            }
        }
        if (dmarcReports != null) {
            try {
                dmarcReports.close();
            } catch (IOException e) {
                LOG.warn("DMARC report data close: {}", e.toString());
            }
        }
        if (checkpoints != null) {
            checkpoints.close();
        }
        if (journal != null) {
            try {
                journal.close(); // a last checkpoint (writing waiting queue envelopes): empty after a clean stop
            } catch (IOException e) {
                LOG.warn("journal close: {}", e.toString());
            }
        }
        if (queue != null) {
            try {
                queue.close();
            } catch (IOException e) {
                LOG.warn("queue close: {}", e.toString());
            }
        }
        if (ops != null) {
            ops.close(); // last: /health said "not ready" while the rest stopped
        }
        if (dataFolder != null) {
            dataFolder.close();
        }
        if (started) { // a failed start says why in one line, not followed by this
            LOG.info("stopped");
        }
    }

    /** The durable queue (for tests and tools that run in the same process). */
    public Queue queue() {
        return queue;
    }
}
