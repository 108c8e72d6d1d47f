package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.SubjectTerm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.config.Config;
import org.postwerk.config.DnsConfig;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.config.SmtpOptions;
import org.postwerk.net.Listener;
import org.postwerk.testkit.TestDnsServer;

/**
 * The whole server with a real IMAP client, Jakarta Mail (Angus): mail delivered over SMTP is read over IMAPS
 * and IMAP with STARTTLS, flagged, searched, moved and appended to, as a mail program does.
 */
class ImapEndToEndTest {
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;
    private Postwerk server;
    private TestDnsServer dns;

    @BeforeEach
    void start() throws Exception {
        Config d = Config.defaults(dir);
        dns = new TestDnsServer("example.net. 300 IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n");
        InetAddress lo = InetAddress.getLoopbackAddress();
        Config config = new Config("mx.example.test", dir.resolve("data"), List.of("example.test"), List.of(),
                List.of(new ListenerConfig(Role.SMTP, new InetSocketAddress(lo, 0), false),
                        new ListenerConfig(Role.IMAP, new InetSocketAddress(lo, 0), false),
                        new ListenerConfig(Role.IMAPS, new InetSocketAddress(lo, 0), false)),
                d.tls(), new DnsConfig(List.of(dns.address()), java.time.Duration.ofSeconds(2)), d.limits(),
                d.timeouts(), new SmtpOptions(false, USER), d.queue(), List.of(), d.auth(), d.storage(), d.login(),
                d.imap(), d.pop3(), d.web(), d.log());
        AccountStore accounts = new AccountStore(dir.resolve("data/accounts"),
                AccountSettings.of(java.util.Set.of("example.test")));
        new AccountEditor(accounts).addUser(USER, PASSWORD.toCharArray());
        server = Postwerk.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        dns.close();
    }

    private int port(Role role) {
        return server.listeners().stream().filter(l -> l.role() == role).findFirst()
                .map(Listener::address).orElseThrow().getPort();
    }

    private void deliver(String subject) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port(Role.SMTP)));
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("bob@example.net"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(USER));
        m.setSubject(subject);
        m.setText("Hello over IMAP.\n.a line with a leading dot\n");
        Transport.send(m);
    }

    private Store store(String protocol, int port) throws Exception {
        Properties p = new Properties();
        p.put("mail." + protocol + ".ssl.trust", "*"); // the self-signed certificate made on first start
        p.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        p.put("mail." + protocol + ".starttls.enable", "true");
        p.put("mail." + protocol + ".starttls.required", "true");
        p.put("mail." + protocol + ".timeout", "10000");
        Session session = Session.getInstance(p);
        session.setDebug(Boolean.getBoolean("imap.debug"));
        Store store = session.getStore(protocol);
        store.connect("127.0.0.1", port, USER, PASSWORD);
        return store;
    }

    @Test
    void readFlagSearchMoveAndAppendLikeAMailProgram() throws Exception {
        deliver("first");
        deliver("second");
        try (Store store = store("imaps", port(Role.IMAPS))) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            Message first = inbox.getMessage(1);
            assertThat(first.getSubject()).isEqualTo("first");
            assertThat(((String) first.getContent()).replace("\r\n", "\n"))
                    .isEqualTo("Hello over IMAP.\n.a line with a leading dot\n");
            assertThat(first.isSet(Flags.Flag.SEEN)).isTrue(); // fetching the body set \Seen
            assertThat(inbox.search(new SubjectTerm("second"))).extracting(Message::getMessageNumber).containsExactly(2);
            long uid = ((UIDFolder) inbox).getUID(inbox.getMessage(2));
            assertThat(uid).isEqualTo(2);

            Folder archive = store.getFolder("Archive");
            assertThat(archive.exists()).isTrue();
            ((IMAPFolder) inbox).moveMessages(new Message[] {inbox.getMessage(2)}, archive);
            assertThat(inbox.getMessage(2).isExpunged()).isTrue(); // the server sent EXPUNGE for it
            archive.open(Folder.READ_ONLY);
            assertThat(archive.getMessage(1).getSubject()).isEqualTo("second");
            archive.close(false);

            Folder sent = store.getFolder("Sent");
            MimeMessage draft = new MimeMessage(Session.getInstance(new Properties()));
            draft.setFrom(new InternetAddress(USER));
            draft.setSubject("sent by me");
            draft.setText("body\n");
            sent.appendMessages(new Message[] {draft});
            sent.open(Folder.READ_ONLY);
            assertThat(sent.getMessageCount()).isEqualTo(1);
            assertThat(sent.getMessage(1).getSubject()).isEqualTo("sent by me");
            sent.close(false);
            inbox.close(false);
        }
        // Another session over IMAP with STARTTLS sees what the first changed.
        try (Store store = store("imap", port(Role.IMAP))) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).isSet(Flags.Flag.SEEN)).isTrue();
            assertThat(store.getDefaultFolder().list("*")).extracting(Folder::getFullName)
                    .contains("INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash");
            inbox.close(false);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> {
            Properties p = new Properties();
            p.put("mail.imaps.ssl.trust", "*");
            p.put("mail.imaps.ssl.checkserveridentity", "false");
            Store store = Session.getInstance(p).getStore("imaps");
            store.connect("127.0.0.1", port(Role.IMAPS), USER, "wrong");
        }).isInstanceOf(AuthenticationFailedException.class);
    }
}
