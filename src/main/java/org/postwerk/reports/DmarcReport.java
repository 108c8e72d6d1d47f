package org.postwerk.reports;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.postwerk.auth.dmarc.Alignment;
import org.postwerk.auth.dmarc.DmarcRecord;
import org.postwerk.auth.dmarc.ReportCount;
import org.postwerk.auth.dmarc.ReportRow;

/**
 * The DMARC aggregate report of RFC 7489 Appendix C for one policy domain and UTC day: {@code feedback} with
 * report_metadata, policy_published (the record as it is published now) and one {@code record} per row.
 */
public record DmarcReport(String organization, String email, String reportId, LocalDate day, String policyDomain,
                          DmarcRecord published, List<ReportCount> rows) {
    public DmarcReport {
        rows = List.copyOf(rows);
    }

    long begin() {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    long end() {
        return begin() + 86_399;
    }

    /** RFC 7489 §7.2.1.1: {@code receiver "!" policy-domain "!" begin-timestamp "!" end-timestamp ".xml.gz"}. */
    public String fileName(String receiver) {
        return receiver + "!" + policyDomain + "!" + begin() + "!" + end() + ".xml.gz";
    }

    public byte[] xml() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("feedback");
            w.writeStartElement("report_metadata");
            text(w, "org_name", organization);
            text(w, "email", email);
            text(w, "report_id", reportId);
            w.writeStartElement("date_range");
            text(w, "begin", Long.toString(begin()));
            text(w, "end", Long.toString(end()));
            w.writeEndElement();
            w.writeEndElement();
            policyPublished(w);
            for (ReportCount c : rows) {
                record(w, c);
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML in memory", e);
        }
        return out.toByteArray();
    }

    private void policyPublished(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("policy_published");
        text(w, "domain", policyDomain);
        text(w, "adkim", published.adkim() == Alignment.STRICT ? "s" : "r");
        text(w, "aspf", published.aspf() == Alignment.STRICT ? "s" : "r");
        text(w, "p", published.p().keyword());
        text(w, "sp", published.subdomainPolicy().keyword());
        text(w, "pct", Integer.toString(published.pct()));
        Set<String> fo = published.fo();
        text(w, "fo", fo.isEmpty() ? "0" : String.join(":", new java.util.TreeSet<>(fo)));
        w.writeEndElement();
    }

    private static void record(XMLStreamWriter w, ReportCount c) throws XMLStreamException {
        ReportRow r = c.row();
        w.writeStartElement("record");
        w.writeStartElement("row");
        text(w, "source_ip", r.source().getHostAddress());
        text(w, "count", Long.toString(c.count()));
        w.writeStartElement("policy_evaluated");
        text(w, "disposition", r.disposition().reportKeyword());
        text(w, "dkim", r.dkimAligned() ? "pass" : "fail");
        text(w, "spf", r.spfAligned() ? "pass" : "fail");
        w.writeEndElement();
        w.writeEndElement();
        w.writeStartElement("identifiers");
        text(w, "header_from", r.headerFrom());
        w.writeEndElement();
        w.writeStartElement("auth_results");
        for (String dkim : r.dkim()) {
            String[] f = dkim.split(" ", 3); // domain selector result (ReportRow)
            w.writeStartElement("dkim");
            text(w, "domain", f[0]);
            if (f.length == 3) {
                text(w, "selector", f[1]);
            }
            text(w, "result", f[f.length - 1]);
            w.writeEndElement();
        }
        // The schema requires an spf element; a message whose SPF was not checked reports "none" for the
        // author domain rather than leave the record invalid.
        String[] spf = r.spf().orElse(r.headerFrom() + " mfrom none").split(" ", 3);
        w.writeStartElement("spf");
        text(w, "domain", spf[0]);
        text(w, "scope", spf.length == 3 ? spf[1] : "mfrom");
        text(w, "result", spf[spf.length - 1]);
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndElement();
    }

    private static void text(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(value);
        w.writeEndElement();
    }
}
