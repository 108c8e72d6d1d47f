"""The same scripted imaplib session against Postwerk and against Dovecot (over a copy of the same Maildir);
prints every difference that remains after normalising what may differ.

    imap_compare.py POSTWERK_PORT DOVECOT_PORT USER PASSWORD DOVECOT_USER DOVECOT_PASSWORD

Postwerk is reached with implicit TLS, Dovecot (a test peer on loopback) in clear text. Each area prints
"PASS dovecot-same-AREA (figures)" or "FAIL dovecot-same-AREA: n differences" and the differences."""
import re
import sys

from imaptools import check, connect, expect, exit_status, fetches, join, ok, parse, untagged

PW_PORT, DV_PORT = int(sys.argv[1]), int(sys.argv[2])
PW_USER, PW_PASS, DV_USER, DV_PASS = sys.argv[3:7]

# Searches over the varied messages of imaptools.corpus() plus two SMTP deliveries. Dates: the corpus's
# INTERNALDATEs are 1..9 Dec 2026, its Date: fields too.
SEARCHES = [
    "ALL", "SEEN", "UNSEEN", "FLAGGED", "ANSWERED", "DRAFT", "DELETED", "UNDRAFT", "NEW", "OLD",
    "KEYWORD $Important", "KEYWORD Project", "UNKEYWORD Project", "FROM bob", "FROM example.net", "TO jane",
    "TO alice", "CC undisclosed", "BCC secret", "SUBJECT lunch", "SUBJECT re:", 'SUBJECT ""', "SUBJECT report",
    "BODY report", "BODY inner", "TEXT grace", "TEXT inner", "BODY line", "HEADER Message-ID <signed",
    "HEADER Content-Type multipart", "HEADER In-Reply-To \"\"", "LARGER 500", "SMALLER 300", "SENTBEFORE 3-Dec-2026",
    "SENTON 7-Dec-2026", "SENTSINCE 7-Dec-2026", "BEFORE 3-Dec-2026", "ON 7-Dec-2026", "SINCE 9-Dec-2026",
    "OR FLAGGED DRAFT", "NOT SEEN", "OR (FROM frank) (TO frank)", "UID 2:4", "1:3", "2,4:5 NOT DELETED",
    "SUBJECT \"Plain hello\"", "FROM \"Ren\"", "HEADER Content-Transfer-Encoding base64",
    ("CHARSET", "UTF-8", "SUBJECT", "Grüße"), ("CHARSET", "UTF-8", "BODY", "Grüße"),
    ("CHARSET", "UTF-8", "FROM", "Jörg"), ("CHARSET", "UTF-8", "TEXT", "Köln"), ("CHARSET", "UTF-8", "SUBJECT", "é"),
]
# Sections that need not exist, ranges past the end, headers of non-message parts. (Not <0.0>: the grammar
# wants a non-zero length, RFC 9051 §9 "partial"; Postwerk answers BAD, Dovecot an empty string.)
ODD_SECTIONS = ["BODY.PEEK[1]", "BODY.PEEK[1.1]", "BODY.PEEK[2.1]", "BODY.PEEK[1.MIME]", "BODY.PEEK[3]",
                "BODY.PEEK[]<100000.10>", "BODY.PEEK[TEXT]<7.1>", "BODY.PEEK[1.HEADER]", "BINARY.PEEK[1]",
                "BINARY.SIZE[1]", "BODY.PEEK[HEADER.FIELDS (subject CONTENT-TYPE)]", "BINARY.PEEK[1]<2.5>"]
SORTS = ["(ARRIVAL)", "(DATE)", "(REVERSE DATE)", "(SUBJECT)", "(FROM)", "(TO)", "(CC)", "(SIZE)",
         "(REVERSE SIZE SUBJECT)"]


def flagset(flags):
    return sorted(f for f in flags if f.upper() != "\\RECENT")


def sections(bs, prefix=""):
    """Section numbers of every part in a BODYSTRUCTURE (RFC 9051 §6.4.5), with the kind of each."""
    out = []
    if isinstance(bs[0], list):                      # multipart: parts, then the subtype and extension data
        parts = bs[:next(i for i, p in enumerate(bs) if not isinstance(p, list))]
        for i, part in enumerate(parts):
            out += sections(part, f"{prefix}{i + 1}.")
        return out
    here = prefix[:-1] or "1"
    out.append((here, "leaf"))
    if bs[0].lower() == b"message" and bs[1].lower() == b"rfc822":
        out.append((here, "message"))
        out += sections(bs[8], prefix if prefix else "1.")
    return out


def name(mailbox):
    """A mailbox name as atom or as quoted string (Postwerk always quotes, Dovecot sends atoms when it can)."""
    return mailbox.decode() if isinstance(mailbox, bytes) else mailbox


def status(M, mailbox, items):
    """STATUS as {item: value}: the order of the items in the answer is the server's choice (RFC 9051 §7.2.4)."""
    got = parse(ok(M.status(mailbox, items))[0])
    return name(got[0]), dict(zip(got[1][::2], got[1][1::2]))


def session(port, tls, user, pw):
    """Runs the script; returns {key: value} with everything to compare, and the connection."""
    M = connect(port, tls=tls)
    ok(M.login(user, pw))
    r = {}
    r["STATUS INBOX"] = status(M, "INBOX", "(MESSAGES UNSEEN UIDNEXT)")
    r["SELECT EXISTS"] = int(ok(M.select("INBOX"))[0])
    r["SELECT FLAGS"] = sorted(parse(untagged(M, "FLAGS")[0])[0])
    r["SELECT UIDNEXT"] = untagged(M, "UIDNEXT")
    r["_UIDVALIDITY"] = untagged(M, "UIDVALIDITY")
    meta = fetches(ok(M.uid("FETCH", "1:*", "(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY)")))
    r["UID order"] = [int(d["UID"]) for _, d in sorted(meta.items())]
    for seq, d in sorted(meta.items()):
        uid = int(d["UID"])
        for item in ("FLAGS", "RFC822.SIZE", "INTERNALDATE", "ENVELOPE", "BODYSTRUCTURE", "BODY"):
            r[f"{uid} {item}"] = flagset(d[item]) if item == "FLAGS" else d.get(item)
        items = ["BODY.PEEK[]", "BODY.PEEK[HEADER]", "BODY.PEEK[TEXT]", "BODY.PEEK[]<5.20>",
                 "BODY.PEEK[HEADER.FIELDS (From Subject X-None)]", "BODY.PEEK[HEADER.FIELDS.NOT (Subject Date)]"]
        for sec, kind in sections(d["BODYSTRUCTURE"]):
            if kind == "message":
                items += [f"BODY.PEEK[{sec}.HEADER]", f"BODY.PEEK[{sec}.TEXT]"]
            else:
                items += [f"BODY.PEEK[{sec}]", f"BODY.PEEK[{sec}.MIME]" if "." in sec or isinstance(
                    d["BODYSTRUCTURE"][0], list) else f"BODY.PEEK[{sec}]<0.7>", f"BINARY.PEEK[{sec}]",
                    f"BINARY.SIZE[{sec}]"]
        got = fetches(ok(M.uid("FETCH", str(uid), "(" + " ".join(items) + ")"))).popitem()[1]
        for k, v in got.items():
            if k not in ("UID", "FLAGS"):
                r[f"{uid} {k}"] = v
        for odd in ODD_SECTIONS:                     # each alone: a server may refuse one
            try:
                typ, data = M.uid("FETCH", str(uid), f"({odd})")
            except M.error:                              # imaplib raises on BAD
                typ, data = "BAD", []
            got = fetches(data) if typ == "OK" else {}
            r[f"{uid} {odd} (odd)"] = (typ, {k: v for k, v in (got.popitem()[1] if got else {}).items()
                                             if k not in ("UID", "FLAGS")})
    for crit in SEARCHES:
        if isinstance(crit, tuple):
            M.literal = crit[-1].encode()
            typ, data = M.uid("SEARCH", *crit[:-1])
        else:
            typ, data = M.uid("SEARCH", crit)
        r[f"SEARCH {crit if isinstance(crit, str) else ' '.join(crit)}"] = (typ, sorted(
            int(x) for x in data[0].split()) if typ == "OK" and data[0] else [])
    for key in SORTS:
        typ, data = M.uid("SORT", key, "UTF-8", "ALL")
        r[f"SORT {key}"] = (typ, data[0].decode() if typ == "OK" else "")
    for alg in ("REFERENCES", "ORDEREDSUBJECT"):
        typ, data = M.uid("THREAD", alg, "UTF-8", "ALL")
        r[f"THREAD {alg}"] = (typ, data[0].decode() if typ == "OK" else "")
    # Changes: the replies to STORE, COPY, EXPUNGE (each server on its own copy).
    typ, data = M.uid("STORE", "2", "+FLAGS", "(\\Seen Interop)")
    r["STORE +FLAGS reply"] = {k: flagset(v["FLAGS"]) for k, v in fetches(data).items()}
    typ, data = M.fetch("1", "(BODY[HEADER.FIELDS (SUBJECT)])")      # sets \Seen: FLAGS come along
    r["FETCH BODY[] sets \\Seen"] = {k: flagset(v.get("FLAGS", [])) for k, v in fetches(data).items()}
    typ, data = M._simple_command("UID", "COPY", "1:3", "Archive")
    r["UID COPY reply"] = re.sub(rb"COPYUID \d+", b"COPYUID v", data[-1]).decode().split("]")[0]
    ok(M.uid("STORE", "3", "+FLAGS.SILENT", "(\\Deleted)"))
    typ, data = M.expunge()
    r["EXPUNGE reply"] = [x for x in data if x]
    r["STATUS Archive"] = status(M, "Archive", "(MESSAGES UNSEEN)")
    lists = ok(M.list('""', "*"))
    r["LIST"] = sorted((name(parse(l)[2]), sorted(a for a in parse(l)[0])) for l in lists)
    M.logout()
    return r


def kind(key):
    for area in ("BODYSTRUCTURE", "ENVELOPE", "FLAGS", "RFC822.SIZE", "INTERNALDATE", "SEARCH", "SORT", "THREAD",
                 "BINARY", "BODY"):
        if area in key.split(" ", 1)[-1].split("[")[0].replace(".PEEK", "") or key.startswith(area):
            return area
    return "SESSION"


def allow(pw, dv):
    """Differences we keep on purpose, taken out of Dovecot's answers (each printed, with its reason)."""
    # A message without a Date: field has no sent date: Postwerk's SENTBEFORE/SENTON/SENTSINCE never match it;
    # Dovecot 2.3 takes 1970-01-01, so its SENTBEFORE matches every such message. RFC 9051 says nothing; we find
    # "sent before 3 Dec" for a message that names no date surprising, and SORT (DATE) uses INTERNALDATE there.
    no_date = {int(k.split()[0]) for k, v in pw.items() if k.endswith(" ENVELOPE") and v and v[0] is None}
    for key in [k for k in dv if k.startswith("SEARCH SENT")]:
        typ, uids = dv[key]
        kept = [u for u in uids if u not in no_date]
        if kept != uids:
            print(f"     allowed: {key}: Dovecot also finds {sorted(set(uids) - set(kept))} (no Date: field)")
        dv[key] = (typ, kept)
    # BINARY of a multipart section: Postwerk sends it as stored (a multipart has no transfer encoding of its
    # own, RFC 2045 §6.4; RFC 9051 §6.4.5 decodes "the section's Content-Transfer-Encoding"); Dovecot also
    # decodes the parts inside and relabels them "binary". A client fetches BINARY of the leaf parts.
    for key in [k for k in pw if re.fullmatch(r"\d+ BINARY\.(PEEK|SIZE)\[1\] \(odd\)", k)]:
        bs = pw[f"{key.split()[0]} BODYSTRUCTURE"]
        if isinstance(bs[0], list) and isinstance(bs[0][0], list) and pw[key] != dv.get(key):
            print(f"     allowed: {key} of a multipart: Postwerk as stored, Dovecot with its parts decoded")
            dv[key] = pw[key]
    # ENVELOPE strings are header values unfolded. Postwerk removes only the CRLFs (RFC 5322 §2.2.3), so
    # "is\r\n\tfolded" gives "is\tfolded" and leading blanks go; Dovecot turns each fold into one space and keeps a
    # leading one. Compared with runs of blanks as one space, stripped.
    for side in (pw, dv):
        for key in [k for k in side if k.endswith(" ENVELOPE") and side[k]]:
            side[key] = blanks(side[key])
    # Two Subject: fields (RFC 5322 allows one): Postwerk's ENVELOPE takes the first, as mail readers show it;
    # Dovecot the last. Only the subject is left out of the comparison for such a message.
    for key in [k for k in pw if k.endswith(" BODY[HEADER]")]:
        uid = key.split()[0]
        if len(re.findall(rb"(?im)^subject:", pw[key])) > 1:
            env = f"{uid} ENVELOPE"
            print(f"     allowed: {env} subject: Postwerk {pw[env][1]!r} (first field), Dovecot {dv[env][1]!r} (last)")
            pw[env][1] = dv[env][1] = "(one of two Subject: fields)"


def blanks(value):
    if isinstance(value, list):
        return [blanks(v) for v in value]
    return re.sub(rb"\s+", b" ", value).strip() if isinstance(value, bytes) else value


def main():
    pw = session(PW_PORT, True, PW_USER, PW_PASS)
    dv = session(DV_PORT, False, DV_USER, DV_PASS)
    allow(pw, dv)
    areas = {}
    for key in sorted(set(pw) | set(dv), key=lambda k: (kind(k), k)):
        if key.startswith("_"):
            continue
        same = pw.get(key) == dv.get(key)
        areas.setdefault(kind(key), []).append((key, same))
    uv = "equal" if pw["_UIDVALIDITY"] == dv["_UIDVALIDITY"] else f"{pw['_UIDVALIDITY']} vs {dv['_UIDVALIDITY']}"
    print(f"     {pw['SELECT EXISTS']} messages; UIDVALIDITY {uv}")
    for area, keys in areas.items():
        diffs = [k for k, same in keys if not same]

        def report():
            if diffs:
                raise AssertionError(f"{len(diffs)} of {len(keys)} differ:\n" + "\n".join(
                    f"      {k}:\n        postwerk {pw.get(k)!r:.400}\n        dovecot  {dv.get(k)!r:.400}" for k in diffs))
            return f"{len(keys)} compared"
        check(f"dovecot-same-{area.lower()}", report)


main()
exit_status()
