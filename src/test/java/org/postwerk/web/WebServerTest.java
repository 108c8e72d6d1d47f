package org.postwerk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postwerk.config.Role;
import org.postwerk.config.WebConfig;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.TestTls;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The autoconfig endpoints over real HTTPS: documents parsed and checked element by element. */
class WebServerTest {
    static final MailEndpoints ENDPOINTS = new MailEndpoints("mail.example.org", List.of(
            new MailEndpoints.Service(MailEndpoints.Protocol.IMAP, 993, true),
            new MailEndpoints.Service(MailEndpoints.Protocol.POP3, 995, true),
            new MailEndpoints.Service(MailEndpoints.Protocol.SMTP, 465, true),
            new MailEndpoints.Service(MailEndpoints.Protocol.IMAP, 143, false),
            new MailEndpoints.Service(MailEndpoints.Protocol.SMTP, 587, false)),
            List.of("example.org"), Optional.of("https://mail.example.org"));
    static final String POX = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request>
                <EMailAddress>%s</EMailAddress>
                <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
              </Request>
            </Autodiscover>
            """;

    final TestTls tls = new TestTls("mail.example.org");
    WebServer https;
    WebServer http;

    @BeforeEach
    void start() throws IOException {
        WebConfig config = new WebConfig(4096, java.time.Duration.ofSeconds(10), 50);
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        https = new WebServer(Role.WEB, any, config, ENDPOINTS, tls.server, tls.server.getDefaultSSLParameters());
        http = new WebServer(Role.HTTP, any, config, ENDPOINTS, null, null);
        https.start();
        http.start();
    }

    @AfterEach
    void stop() {
        https.close();
        http.close();
    }

    record Reply(int status, String type, String body) {}

    Reply request(WebServer server, String method, String path, String body) throws IOException {
        String scheme = server == https ? "https" : "http";
        var c = (java.net.HttpURLConnection) URI.create(scheme + "://127.0.0.1:" + server.address().getPort() + path)
                .toURL().openConnection();
        if (c instanceof HttpsURLConnection s) {
            s.setSSLSocketFactory(tls.trusting.context().getSocketFactory());
            s.setHostnameVerifier((h, session) -> true); // the certificate names mail.example.org, we dial 127.0.0.1
        }
        c.setRequestMethod(method);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "text/xml");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Reply(status, c.getContentType(), in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A request written by hand (HttpURLConnection will not set Host), over plain HTTP. */
    static String raw(WebServer server, String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static String child(Element e, String name) {
        NodeList n = e.getElementsByTagName(name);
        assertThat(n.getLength()).as(name).isEqualTo(1);
        return n.item(0).getTextContent();
    }

    @Test
    void thunderbirdAutoconfig() throws Exception {
        Reply r = request(https, "GET", "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40Example.org",
                null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.type()).startsWith("application/xml");
        // What Thunderbird's readFromXML reads: clientConfig/emailProvider with id, domain, displayName, then each
        // incomingServer (type) and outgoingServer with hostname, port, socketType, authentication, username.
        Element root = parse(r.body()).getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("clientConfig");
        assertThat(root.getAttribute("version")).isEqualTo("1.1");
        Element provider = (Element) root.getElementsByTagName("emailProvider").item(0);
        assertThat(provider.getAttribute("id")).isEqualTo("example.org");
        assertThat(child(provider, "domain")).isEqualTo("example.org");
        List<String> servers = new ArrayList<>();
        for (String tag : List.of("incomingServer", "outgoingServer")) {
            NodeList n = provider.getElementsByTagName(tag);
            for (int i = 0; i < n.getLength(); i++) {
                Element s = (Element) n.item(i);
                assertThat(child(s, "hostname")).isEqualTo("mail.example.org");
                assertThat(child(s, "authentication")).isEqualTo("password-cleartext");
                assertThat(child(s, "username")).isEqualTo("%EMAILADDRESS%");
                servers.add(s.getAttribute("type") + " " + child(s, "port") + " " + child(s, "socketType"));
            }
        }
        assertThat(servers).containsExactly("imap 993 SSL", "imap 143 STARTTLS", "pop3 995 SSL", "smtp 465 SSL",
                "smtp 587 STARTTLS");
        String byHost = raw(http, "GET /mail/config-v1.1.xml HTTP/1.1\r\nHost: autoconfig.example.org\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(byHost).startsWith("HTTP/1.1 200 ").endsWith(r.body());
    }

    @Test
    void onlyLocalDomainsAndNothingReflected() throws Exception {
        String path = "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=";
        assertThat(request(https, "GET", path + "bob%40example.net", null).status()).isEqualTo(404);
        Reply evil = request(https, "GET", path + "%3Cscript%3E%40example.org", null);
        assertThat(evil.status()).isEqualTo(404);
        assertThat(evil.body()).doesNotContain("script");
        assertThat(raw(http, "GET /mail/config-v1.1.xml HTTP/1.1\r\nHost: autoconfig.example.net:80\r\n"
                + "Connection: close\r\n\r\n")).startsWith("HTTP/1.1 404 ");
        assertThat(request(https, "GET", "/etc/passwd", null).status()).isEqualTo(404);
        assertThat(request(https, "POST", "/autodiscover/autodiscover.xml", "x".repeat(5000)).status())
                .isEqualTo(413);
    }

    /** The access line names the client (Thunderbird's User-Agent), quoted, and a client cannot fake a field. */
    @Test
    void logLineCarriesTheUserAgent() throws Exception {
        String thunderbird = "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Thunderbird/153.8.0";
        try (LogCapture log = new LogCapture(WebServer.class.getName())) {
            raw(http, "GET /mail/config-v1.1.xml HTTP/1.1\r\nHost: autoconfig.example.org\r\nUser-Agent: "
                    + thunderbird + "\r\nConnection: close\r\n\r\n");
            raw(http, "GET /x HTTP/1.1\r\nHost: example.org\r\nUser-Agent: a\" status=200 b=\"c\r\n"
                    + "Connection: close\r\n\r\n");
            raw(http, "GET /y HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n");
            long deadline = System.nanoTime() + 10_000_000_000L; // the line follows the answer's last byte
            while (log.linesWith("event=web ").size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            // Any order: each line is written after its answer's last byte, so the next request may log first.
            assertThat(log.linesWith("event=web ")).containsExactlyInAnyOrder(
                    "event=web client=127.0.0.1 method=GET path=\"/mail/config-v1.1.xml\" status=200 agent=\""
                            + thunderbird + "\"",
                    "event=web client=127.0.0.1 method=GET path=\"/x\" status=404"
                            + " agent=\"a\\u0022 status=200 b=\\u0022c\"",
                    "event=web client=127.0.0.1 method=GET path=\"/y\" status=404 agent=-");
        }
    }

    @Test
    void outlookAutodiscoverPox() throws Exception {
        Reply r = request(https, "POST", "/Autodiscover/Autodiscover.xml", POX.formatted("alice@example.org"));
        assertThat(r.status()).isEqualTo(200);
        Document d = parse(r.body());
        assertThat(d.getDocumentElement().getNamespaceURI()).isEqualTo(Autodiscover.RESPONSE_NS);
        Element response = (Element) d.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "Response").item(0);
        Element account = (Element) response.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "Account").item(0);
        assertThat(child(account, "AccountType")).isEqualTo("email");
        assertThat(child(account, "Action")).isEqualTo("settings");
        NodeList protocols = account.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "Protocol");
        List<String> found = new ArrayList<>();
        for (int i = 0; i < protocols.getLength(); i++) {
            Element p = (Element) protocols.item(i);
            assertThat(child(p, "LoginName")).isEqualTo("alice@example.org");
            assertThat(child(p, "Server")).isEqualTo("mail.example.org");
            found.add(child(p, "Type") + " " + child(p, "Port") + " " + child(p, "SSL"));
        }
        assertThat(found).containsExactly("IMAP 993 on", "POP3 995 on", "SMTP 465 on");
        assertThat(request(https, "POST", "/autodiscover/autodiscover.xml", POX.formatted("bob@example.net"))
                .status()).isEqualTo(404);
        assertThat(request(https, "GET", "/autodiscover/autodiscover.xml", null).status()).isEqualTo(405);
    }

    @Test
    void autodiscoverEscapesAndRefusesEntities() throws Exception {
        Reply r = request(https, "POST", "/autodiscover/autodiscover.xml",
                POX.formatted("\"a&lt;b&amp;c\"@example.org"));
        assertThat(r.status()).isEqualTo(200);
        Element login = (Element) parse(r.body()).getElementsByTagName("LoginName").item(0);
        assertThat(login.getTextContent()).isEqualTo("\"a<b&c\"@example.org");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + POX.formatted("&e;").substring(POX.indexOf("?>") + 2);
        Reply refused = request(https, "POST", "/autodiscover/autodiscover.xml", xxe);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).doesNotContain("root:");
        assertThat(request(https, "POST", "/autodiscover/autodiscover.xml", "not xml").status()).isEqualTo(400);
    }

    @Test
    void autodiscoverJsonV2() throws Exception {
        Reply r = request(https, "GET", "/autodiscover/autodiscover.json?Email=alice%40example.org&Protocol=AutodiscoverV1",
                null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"Protocol\":\"AutodiscoverV1\",\"Url\":"
                + "\"https://mail.example.org/autodiscover/autodiscover.xml\"}");
        assertThat(request(https, "GET", "/autodiscover/autodiscover.json/v1.0/alice@example.org?Protocol=AutodiscoverV1",
                null).body()).isEqualTo(r.body());
        Reply activeSync = request(https, "GET",
                "/autodiscover/autodiscover.json?Email=alice%40example.org&Protocol=ActiveSync", null);
        assertThat(activeSync.status()).isEqualTo(400);
        assertThat(activeSync.body()).contains("\"ErrorCode\":\"ProtocolNotSupported\"");
        assertThat(request(https, "GET", "/autodiscover/autodiscover.json?Email=x%40example.net&Protocol=AutodiscoverV1",
                null).status()).isEqualTo(404);
    }

    @Test
    void appleProfile() throws Exception {
        Reply r = request(https, "GET", "/apple/mail.mobileconfig?emailaddress=alice%40example.org", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.type()).isEqualTo(MobileConfig.TYPE);
        Element plist = parse(r.body()).getDocumentElement();
        assertThat(plist.getTagName()).isEqualTo("plist");
        List<String> keys = new ArrayList<>();
        NodeList k = plist.getElementsByTagName("key");
        for (int i = 0; i < k.getLength(); i++) {
            Element key = (Element) k.item(i);
            org.w3c.dom.Node next = key.getNextSibling();
            while (!(next instanceof Element)) {
                next = next.getNextSibling();
            }
            Element value = (Element) next;
            keys.add(key.getTextContent() + "=" + (value.getTagName().equals("true") || value.getTagName()
                    .equals("false") ? value.getTagName() : value.getTextContent()));
        }
        assertThat(keys).contains("EmailAccountType=EmailTypeIMAP", "EmailAddress=alice@example.org",
                "IncomingMailServerHostName=mail.example.org", "IncomingMailServerPortNumber=993",
                "IncomingMailServerUseSSL=true", "OutgoingMailServerPortNumber=465",
                "PayloadType=com.apple.mail.managed", "PayloadType=Configuration");
        assertThat(request(https, "GET", "/apple/mail.mobileconfig?emailaddress=x%40example.net", null).status())
                .isEqualTo(404);
    }
}
