package org.postwerk.web;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.postwerk.smtp.Mailbox;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * Outlook's autodiscover. The POX protocol ([MS-OXDSCLI] §2.2.3, §2.2.4): {@code POST
 * /autodiscover/autodiscover.xml} with an {@code EMailAddress} in the outlook request schema, answered with
 * {@code Account/Protocol} entries for IMAP, POP3 and SMTP (the response schema 2006a) — one per protocol, the
 * preferred listener: {@code SSL on} for implicit TLS, {@code Encryption TLS} for STARTTLS. And the JSON v2
 * endpoint ({@code GET /autodiscover/autodiscover.json?Email=...&Protocol=...}), which only points
 * {@code AutodiscoverV1} to the POX URL; for Exchange protocols (ActiveSync, EWS) it says they are not served.
 * The request document is parsed without DTDs or external entities (no XXE).
 */
final class Autodiscover {
    static final String REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    static final String RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    static final String OUTLOOK_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    private final MailEndpoints endpoints;

    Autodiscover(MailEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    Answer pox(Request r) {
        if (!r.method().equals("POST")) {
            return Answer.error(405, "Method not allowed");
        }
        Optional<String> email = emailAddress(r.body());
        if (email.isEmpty()) {
            return Answer.BAD_REQUEST;
        }
        return endpoints.localAddress(email.get()).map(m -> Answer.xml(response(m))).orElse(Answer.NOT_FOUND);
    }

    Answer json(Request r) {
        Optional<String> email = r.param("Email");
        String path = r.path();
        int v1 = path.indexOf("/v1.0/"); // the other form: /autodiscover/autodiscover.json/v1.0/ADDRESS
        if (email.isEmpty() && v1 >= 0) {
            email = Optional.of(path.substring(v1 + 6)); // the path is decoded already
        }
        if (email.isEmpty() || endpoints.localAddress(email.get()).isEmpty()) {
            return Answer.NOT_FOUND;
        }
        String protocol = r.param("Protocol").orElse("");
        if (!protocol.equalsIgnoreCase("AutodiscoverV1") || endpoints.webBase().isEmpty()) {
            return new Answer(400, "application/json", ("{\"ErrorCode\":\"ProtocolNotSupported\","
                    + "\"ErrorMessage\":\"The given protocol value is invalid or not supported.\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return new Answer(200, "application/json", ("{\"Protocol\":\"AutodiscoverV1\",\"Url\":\""
                + endpoints.webBase().get() + "/autodiscover/autodiscover.xml\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** The EMailAddress of a POX request, or empty when the body is not one. */
    static Optional<String> emailAddress(byte[] body) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            Document d = b.parse(new ByteArrayInputStream(body));
            NodeList n = d.getElementsByTagNameNS(REQUEST_NS, "EMailAddress");
            if (n.getLength() != 1) {
                n = d.getElementsByTagNameNS("*", "EMailAddress"); // some clients send no namespace
            }
            return n.getLength() == 1 ? Optional.of(n.item(0).getTextContent().strip()) : Optional.empty();
        } catch (Exception e) { // SAXException, IOException, ParserConfigurationException: not a request
            return Optional.empty();
        }
    }

    String response(Mailbox address) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Autodiscover xmlns=\"").append(RESPONSE_NS).append("\">\n");
        x.append("  <Response xmlns=\"").append(OUTLOOK_NS).append("\">\n");
        x.append("    <Account>\n      <AccountType>email</AccountType>\n      <Action>settings</Action>\n");
        String login = Xml.escape(address.toString());
        for (MailEndpoints.Protocol p : MailEndpoints.Protocol.values()) {
            endpoints.of(p).stream().findFirst().ifPresent(s -> {
                x.append("      <Protocol>\n");
                x.append("        <Type>").append(p.name()).append("</Type>\n");
                x.append("        <Server>").append(Xml.escape(endpoints.hostname())).append("</Server>\n");
                x.append("        <Port>").append(s.port()).append("</Port>\n");
                x.append("        <DomainRequired>off</DomainRequired>\n");
                x.append("        <LoginName>").append(login).append("</LoginName>\n");
                x.append("        <SPA>off</SPA>\n");
                x.append(s.implicitTls() ? "        <SSL>on</SSL>\n" : "        <Encryption>TLS</Encryption>\n");
                x.append("        <AuthRequired>on</AuthRequired>\n");
                x.append("      </Protocol>\n");
            });
        }
        x.append("    </Account>\n  </Response>\n</Autodiscover>\n");
        return x.toString();
    }
}
