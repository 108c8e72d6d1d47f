"""Python imaplib against Postwerk: every command the server supports, and the refusals.

    imap_commands.py IMAP_PORT IMAPS_PORT SMTP_PORT USER PASSWORD APPEND_LIMIT

Prints PASS/FAIL lines; exits 1 when a check failed."""
import re
import smtplib
import socket
import ssl
import sys
import time
import zlib

from imaptools import (TLS, check, connect, corpus, expect, exit_status, fetches, join, ok, parse, untagged)

IMAP, IMAPS, SMTP = (int(p) for p in sys.argv[1:4])
USER, PW, LIMIT = sys.argv[4], sys.argv[5], int(sys.argv[6])


def login():
    M = connect(IMAPS)
    ok(M.login(USER, PW), "LOGIN")
    return M


def no_login_without_tls():
    M = connect(IMAP, tls=False)
    caps = M.capabilities
    expect("STARTTLS" in caps and "LOGINDISABLED" in caps, f"greeting capabilities {caps}")
    expect(not any(c.startswith("AUTH=") for c in caps), f"AUTH= offered in clear text: {caps}")
    typ, data = M._simple_command("LOGIN", USER, M._quote(PW))
    expect(typ == "NO" and b"PRIVACYREQUIRED" in data[0], f"LOGIN in clear text answered {typ} {data}")
    ok(M.starttls(ssl_context=TLS), "STARTTLS")
    expect(any(c.startswith("AUTH=") for c in M.capabilities), "no AUTH= after STARTTLS")
    ok(M.login(USER, PW), "LOGIN after STARTTLS")
    M.logout()
    return "LOGIN refused with [PRIVACYREQUIRED] in clear text, accepted after STARTTLS"


def wrong_password():
    M = connect(IMAPS)
    start = time.monotonic()
    try:
        M.login(USER, "not the password")
        raise AssertionError("a wrong password logged in")
    except M.error as e:
        expect("AUTHENTICATIONFAILED" in str(e), f"no [AUTHENTICATIONFAILED]: {e}")
    took = time.monotonic() - start
    ok(M.login(USER, PW), "LOGIN after a failure")
    M.logout()
    return f"NO [AUTHENTICATIONFAILED] after {took:.2f} s"


def capability_id_enable_namespace(M):
    caps = set(ok(M.capability())[0].decode().upper().split())
    want = {"IMAP4REV1", "IMAP4REV2", "IDLE", "UIDPLUS", "MOVE", "SPECIAL-USE", "CONDSTORE", "QRESYNC", "ENABLE",
            "NAMESPACE", "ID", "UNSELECT", "ESEARCH", "LIST-EXTENDED", "LIST-STATUS", "QUOTA", "BINARY",
            "COMPRESS=DEFLATE", "SORT", "THREAD=REFERENCES", f"APPENDLIMIT={LIMIT}", "LITERAL+"}
    expect(want <= caps, f"missing capabilities: {want - caps}")
    typ, data = M._simple_command("ID", '("name" "interop" "version" "1")')
    expect(typ == "OK" and untagged(M, "ID"), f"ID: {typ} {data}")
    ok(M.enable("CONDSTORE"), "ENABLE")
    enabled = untagged(M, "ENABLED")
    expect(enabled and b"CONDSTORE" in enabled[0].upper(), f"ENABLED: {enabled}")
    ns = parse(ok(M.namespace())[0])
    expect(ns[0] and ns[0][0][1] == b"/", f"NAMESPACE personal: {ns}")
    return f"{len(caps)} capabilities, ENABLED CONDSTORE, NAMESPACE {ok(M.namespace())[0].decode()}"


def listing(M):
    names = {parse(l)[2]: parse(l)[0] for l in ok(M.list('""', "*"))}
    for n, use in ((b"Sent", "\\Sent"), (b"Drafts", "\\Drafts"), (b"Trash", "\\Trash"), (b"Junk", "\\Junk"),
                   (b"Archive", "\\Archive")):
        expect(n in names and use in names[n], f"{n} lacks {use}: {names}")
    lsub = ok(M.lsub('""', "*"))
    typ, data = M._simple_command("LIST", "(SPECIAL-USE)", '""', "*")
    su = [parse(l) for l in join(untagged(M, "LIST"))]
    expect(typ == "OK" and len(su) == 5 and all(len(l[0]) >= 1 for l in su), f"LIST (SPECIAL-USE): {su}")
    typ, data = M._simple_command("LIST", '""', "%", "RETURN", "(SUBSCRIBED CHILDREN STATUS (MESSAGES UIDNEXT UNSEEN))")
    st = [parse(l) for l in join(untagged(M, "STATUS"))]
    lst = untagged(M, "LIST")
    expect(typ == "OK" and len(st) == len(lst) >= 6, f"LIST-STATUS: {len(st)} STATUS for {len(lst)} LIST")
    return f"{len(names)} folders with special use, {len(lsub)} subscribed, {len(st)} STATUS via LIST-STATUS"


def folders(M):
    ok(M.create("Work"), "CREATE Work")
    ok(M.create('"Work/Projekte &ANw-ber"'), "CREATE in modified UTF-7")
    ok(M.subscribe('"Work/Projekte &ANw-ber"'), "SUBSCRIBE")
    lsub = [parse(l)[2] for l in ok(M.lsub('""', "Work/*"))]
    expect(lsub == [b"Work/Projekte &ANw-ber"], f"LSUB: {lsub}")
    ok(M.rename('"Work/Projekte &ANw-ber"', "Work/Done"), "RENAME")
    st = ok(M.status("Work/Done", "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ SIZE)"))[0]
    expect(b"MESSAGES 0" in st, f"STATUS: {st}")
    typ, data = M._simple_command("LIST", "(SUBSCRIBED RECURSIVEMATCH)", '""', "Work/*")
    sub = [parse(l) for l in join(untagged(M, "LIST"))]
    ok(M.unsubscribe("Work/Done"), "UNSUBSCRIBE")
    ok(M.delete("Work/Done"), "DELETE Work/Done")
    ok(M.delete("Work"), "DELETE Work")
    left = [parse(l)[2] for l in ok(M.list('""', "Work*")) if l]
    expect(left == [], f"left after DELETE: {left}")
    return f"CREATE/SUBSCRIBE/RENAME/STATUS/DELETE in a UTF-7 hierarchy; LIST (SUBSCRIBED) after RENAME: {len(sub)}"


def append_all(M):
    uids = []
    for name, flags, date, msg in corpus():
        typ, data = M.append("INBOX", flags, f'"{date}"', msg)
        expect(typ == "OK", f"APPEND {name}: {typ} {data}")
        m = re.search(rb"\[APPENDUID (\d+) (\d+)\]", data[0])
        expect(m, f"APPEND {name}: no APPENDUID in {data}")
        uids.append(int(m.group(2)))
    expect(uids == sorted(uids) and len(set(uids)) == len(uids), f"APPENDUIDs not increasing: {uids}")
    st = ok(M.status("INBOX", "(MESSAGES)"))[0]
    return f"{len(uids)} messages with flags and dates, UIDs {uids[0]}..{uids[-1]}; {st.decode()}"


def select_examine(M):
    typ, data = M._simple_command("EXAMINE", "INBOX", "(CONDSTORE)")
    code = M.untagged_responses.get("READ-ONLY") or data
    expect(typ == "OK" and b"READ-ONLY" in data[-1], f"EXAMINE: {typ} {data}")
    M.untagged_responses.clear()
    typ, data = M._simple_command("SELECT", "INBOX", "(CONDSTORE)")
    M.state = "SELECTED"
    hms = untagged(M, "HIGHESTMODSEQ")
    uv = untagged(M, "UIDVALIDITY")
    exists = untagged(M, "EXISTS")
    expect(typ == "OK" and hms and uv and exists, f"SELECT (CONDSTORE): {typ} {data} hms={hms}")
    return f"EXISTS {exists[-1].decode()}, UIDVALIDITY {uv[0].decode()}, HIGHESTMODSEQ {hms[0].decode()}"


def fetch_items(M):
    by_subject = {}
    for seq, d in fetches(ok(M.fetch("1:*", "(UID ENVELOPE BODYSTRUCTURE RFC822.SIZE FLAGS INTERNALDATE)"))).items():
        by_subject[d["ENVELOPE"][1]] = (seq, d)
    seq, d = by_subject[b"Report with attachment"]
    bs = d["BODYSTRUCTURE"]
    expect(bs[0][0][0] == b"text" and bs[0][1][1] == b"html" and bs[0][2] == b"alternative"
           and bs[1][0] == b"application" and bs[2] == b"mixed", f"nested BODYSTRUCTURE: {bs}")
    part = fetches(ok(M.fetch(str(seq), "(BODY.PEEK[1.2]<0.12> BINARY.PEEK[2] BINARY.SIZE[2] BODY.PEEK[2.MIME])")))[seq]
    expect(part.get("BODY[1.2]<0>") == b"<p>See the <", f"BODY[1.2]<0.12>: {part}")
    expect(part.get("BINARY[2]", b"").startswith(b"%PDF-1.4"), f"BINARY[2]: {part.get('BINARY[2]')!r}")
    expect(int(part.get("BINARY.SIZE[2]", -1)) == len(part["BINARY[2]"]), f"BINARY.SIZE[2]: {part}")
    expect(b"Content-Type: application/pdf" in part.get("BODY[2.MIME]", b""), f"BODY[2.MIME]: {part}")
    seq, d = by_subject[b"Fwd: Plain hello"]
    bs = d["BODYSTRUCTURE"]
    expect(bs[1][0] == b"message" and bs[1][1] == b"rfc822" and bs[1][7][1] == b"=?UTF-8?Q?Inner_=C3=A9?=",
           f"message/rfc822 BODYSTRUCTURE: {bs[1]}")
    inner = fetches(ok(M.fetch(str(seq), "(BODY.PEEK[2.HEADER.FIELDS (SUBJECT)] BODY.PEEK[2.2])")))[seq]
    expect(inner.get("BODY[2.2]") == b"<bold>inner</bold>", f"BODY[2.2]: {inner}")
    seq, d = by_subject[b"=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?= =?UTF-8?B?IOKCrA==?="]
    env = d["ENVELOPE"]
    expect(env[2][0][0] == b"=?ISO-8859-1?Q?Ren=E9_M=FCller?=" and env[5][1][0] == b"Doe, Jane",
           f"ENVELOPE with encoded words: {env}")
    full = fetches(ok(M.fetch("1:*", "(BODY.PEEK[] RFC822.SIZE)")))
    sizes_ok = all(len(f["BODY[]"]) == int(f["RFC822.SIZE"]) for f in full.values())
    expect(sizes_ok, "RFC822.SIZE differs from the length of BODY[]")
    originals = {m for _, _, _, m in corpus()}
    expect(all(f["BODY[]"] in originals for f in full.values()), "a BODY[] is not the APPENDed message")
    return f"{len(full)} messages: ENVELOPE, BODYSTRUCTURE, BODY[section]<partial>, BINARY; BODY[] byte-exact"


def store_unchangedsince(M):
    all_modseqs = [int(d["MODSEQ"][0]) for d in fetches(ok(M.fetch("1:*", "(MODSEQ)"))).values()]
    modseq = int(fetches(ok(M.fetch("1", "(MODSEQ)")))[1]["MODSEQ"][0])
    typ, data = M._simple_command("STORE", "1", f"(UNCHANGEDSINCE {modseq})", "+FLAGS", "(\\Flagged)")
    stored = fetches(join(untagged(M, "FETCH")))
    expect(typ == "OK" and int(stored[1]["MODSEQ"][0]) > modseq, f"STORE UNCHANGEDSINCE current: {typ} {data} {stored}")
    typ, data = M._simple_command("STORE", "1", f"(UNCHANGEDSINCE {modseq})", "-FLAGS", "(\\Flagged)")
    expect(typ == "OK" and b"[MODIFIED 1]" in data[0], f"STORE UNCHANGEDSINCE stale: {typ} {data}")
    typ, data = M._simple_command("FETCH", "1:*", "(FLAGS)", f"(CHANGEDSINCE {max(all_modseqs)})")
    changed = fetches(join(untagged(M, "FETCH")))
    expect(list(changed) == [1], f"FETCH CHANGEDSINCE {max(all_modseqs)}: {changed}")
    ok(M.store("1", "-FLAGS.SILENT", "(\\Flagged)"))
    return f"MODSEQ {modseq} -> {stored[1]['MODSEQ'][0]}, stale STORE answered [MODIFIED 1]"


def search(M):
    def uids(*criteria, charset=None):
        return [int(x) for x in ok(M.uid("SEARCH", *([("CHARSET", charset)] if False else []), *criteria))[0].split()]
    alluids = uids("ALL")
    subj = {d["ENVELOPE"][1]: int(d["UID"]) for d in fetches(ok(M.fetch("1:*", "(UID ENVELOPE)"))).values()}
    cases = {
        "FROM bob": (["FROM", "bob"], [subj[b"Plain hello"]]),
        "SUBJECT lunch": (["SUBJECT", "lunch"], [subj[b"Lunch?"], subj[b"Re: Lunch?"], subj[b"RE: [list] Re: Lunch?"]]),
        "SEEN NOT ANSWERED": (["SEEN", "NOT", "ANSWERED"], [subj[b"Plain hello"], subj[b"Lunch?"]]),
        "KEYWORD Project": (["KEYWORD", "Project"], [subj[b"\xc3\x9cberraschung f\xc3\xbcr dich"]]),
        "OR FLAGGED DRAFT": (["OR", "FLAGGED", "DRAFT"], sorted([subj[b"=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?= =?UTF-8?B?IOKCrA==?="], subj[b""]])),
        "SENTBEFORE 2-Dec-2026": (["SENTBEFORE", "2-Dec-2026"], [subj[b"Plain hello"]]),
        "SINCE 7-Dec-2026 BEFORE 8-Dec-2026": (["SINCE", "7-Dec-2026", "BEFORE", "8-Dec-2026"],
                                               [subj[b"Lunch?"], subj[b"Re: Lunch?"], subj[b"RE: [list] Re: Lunch?"]]),
        "HEADER Message-ID <signed": (["HEADER", "Message-ID", "<signed"], [subj[b"Signed"]]),
        "BODY noon": (["BODY", "noon"], [subj[b"Re: Lunch?"]]),
        "TEXT grace": (["TEXT", "grace"], [subj[b"Signed"]]),
        "LARGER 600": (["LARGER", "600"], sorted([subj[b"Report with attachment"], subj[b"Fwd: Plain hello"], subj[b"Signed"]])),
        "UID 1:3": (["UID", "1:3"], alluids[:3]),
    }
    for name, (crit, want) in cases.items():
        got = uids(*crit)
        expect(got == sorted(want), f"SEARCH {name}: {got}, expected {sorted(want)}")
    # CHARSET UTF-8 with a literal: the decoded subject of the encoded-word message and a raw UTF-8 header.
    for text, want in (("Grüße", subj[b"=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?= =?UTF-8?B?IOKCrA==?="]),
                       ("Überraschung", subj[b"\xc3\x9cberraschung f\xc3\xbcr dich"])):
        M.literal = text.encode()
        got = [int(x) for x in ok(M.uid("SEARCH", "CHARSET", "UTF-8", "SUBJECT"))[0].split()]
        expect(got == [want], f"SEARCH CHARSET UTF-8 SUBJECT {text}: {got}, expected {[want]}")
    M.literal = "Grüße".encode()
    got = [int(x) for x in ok(M.uid("SEARCH", "CHARSET", "UTF-8", "BODY"))[0].split()]
    expect(sorted(got) == sorted([subj[b"=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?= =?UTF-8?B?IOKCrA==?="],
                                  subj[b"\xc3\x9cberraschung f\xc3\xbcr dich"], subj[b"8-bit latin-1 body"]]),
           f"SEARCH CHARSET UTF-8 BODY Grüße (QP latin-1, 8-bit UTF-8, 8-bit latin-1): {got}")
    typ, data = M._simple_command("UID", "SEARCH", "RETURN", "(MIN MAX COUNT ALL)", "SUBJECT", "lunch")
    es = untagged(M, "ESEARCH")
    expect(typ == "OK" and es and b"COUNT 3" in es[0] and b"UID" in es[0], f"ESEARCH: {typ} {es}")
    return f"{len(cases) + 3} searches right over {len(alluids)} messages, ESEARCH {es[0].decode()}"


def sort_thread(M):
    subj = {int(d["UID"]): d["ENVELOPE"][1] for d in fetches(ok(M.fetch("1:*", "(UID ENVELOPE)"))).values()}
    by_date = [int(x) for x in ok(M.uid("SORT", "(REVERSE DATE)", "UTF-8", "ALL"))[0].split()]
    expect(subj[by_date[0]] == b"Signed" and len(by_date) == len(subj), f"SORT (REVERSE DATE): {by_date}")
    by_subject = [subj[int(x)] for x in ok(M.uid("SORT", "(SUBJECT)", "UTF-8", "ALL"))[0].split()]
    lunch = [i for i, s in enumerate(by_subject) if b"Lunch" in s]
    expect(lunch == list(range(lunch[0], lunch[0] + 3)), f"SORT (SUBJECT) does not group the thread: {by_subject}")
    thread = ok(M.uid("THREAD", "REFERENCES", "UTF-8", "ALL"))[0]
    ids = {s: u for u, s in subj.items()}
    want = b"(%d %d %d)" % (ids[b"Lunch?"], ids[b"Re: Lunch?"], ids[b"RE: [list] Re: Lunch?"])
    expect(want in thread, f"THREAD REFERENCES lacks {want}: {thread}")
    ordered = ok(M.uid("THREAD", "ORDEREDSUBJECT", "UTF-8", "ALL"))[0]
    return f"SORT REVERSE DATE/SUBJECT, THREAD REFERENCES {thread.decode()}"


def copy_move_expunge(M):
    ok(M.create("Keep"))
    uids = ok(M.uid("SEARCH", "ALL"))[0].split()
    typ, data = M._simple_command("UID", "COPY", b"%s:%s" % (uids[0], uids[1]), "Keep")
    expect(typ == "OK" and b"COPYUID" in data[-1], f"UID COPY: {typ} {data}")
    typ, data = M._simple_command("UID", "MOVE", uids[2], "Keep")
    copyuid = [d for d in M.untagged_responses.pop("OK", []) if b"COPYUID" in d]
    expect(typ == "OK" and copyuid, f"UID MOVE: {typ} {data}, untagged OK {copyuid}")
    typ, data = M.uid("STORE", b"%s,%s" % (uids[3], uids[4]), "+FLAGS.SILENT", "(\\Deleted)")
    untagged(M, "EXPUNGE")
    typ, data = M._simple_command("UID", "EXPUNGE", uids[3])
    gone = untagged(M, "EXPUNGE")
    expect(typ == "OK" and len(gone) == 1, f"UID EXPUNGE {uids[3]}: {typ} {data} expunged {gone}")
    left = ok(M.uid("SEARCH", "DELETED"))[0].split()
    expect(left == [uids[4]], f"\\Deleted left after UID EXPUNGE: {left}")
    ok(M.expunge())
    st = ok(M.status("Keep", "(MESSAGES)"))[0]
    expect(b"MESSAGES 3" in st, f"Keep: {st}")
    now = ok(M.uid("SEARCH", "ALL"))[0].split()
    expect(len(now) == len(uids) - 3, f"INBOX after MOVE and 2 EXPUNGEs: {len(now)} of {len(uids)}")
    return f"COPY 2 and MOVE 1 with COPYUID {copyuid[0].decode()}, UID EXPUNGE 1, EXPUNGE 1"


def qresync():
    M = login()
    ok(M.enable("QRESYNC"))
    typ, data = M._simple_command("SELECT", "INBOX")
    M.state = "SELECTED"
    uv, hms = int(untagged(M, "UIDVALIDITY")[0]), int(untagged(M, "HIGHESTMODSEQ")[0])
    ok(M.unselect(), "UNSELECT")
    other = login()
    ok(other.select("INBOX"))
    victim = ok(other.uid("SEARCH", "ALL"))[0].split()[-1]
    ok(other.uid("STORE", victim, "+FLAGS.SILENT", "(\\Deleted)"))
    ok(other._simple_command("UID", "EXPUNGE", victim))
    other.logout()
    typ, data = M._simple_command("SELECT", "INBOX", f"(QRESYNC ({uv} {hms}))")
    vanished = untagged(M, "VANISHED")
    expect(typ == "OK" and vanished and victim in vanished[0], f"SELECT QRESYNC: {typ} {data} VANISHED {vanished}")
    M.logout()
    return f"SELECT (QRESYNC ({uv} {hms})) answered VANISHED {vanished[0].decode()}"


def idle_sees_delivery():
    M = login()
    ok(M.select("INBOX"))
    tag = M._new_tag()
    M.send(tag + b" IDLE\r\n")
    expect(M._get_line().startswith(b"+"), "no continuation to IDLE")
    M.sock.settimeout(5)
    start = time.monotonic()
    with smtplib.SMTP("127.0.0.1", SMTP, timeout=10) as s:
        s.sendmail("bob@example.net", [USER], b"From: bob@example.net\r\nSubject: idle probe\r\n\r\nhi\r\n")
    acked = time.monotonic()
    line = M._get_line()
    heard = time.monotonic()
    expect(line.endswith(b"EXISTS"), f"IDLE heard {line!r}")
    M.send(b"DONE\r\n")
    while not (line := M._get_line()).startswith(tag):
        pass
    expect(b" OK" in line, f"IDLE ended with {line!r}")
    expect(heard - acked < 1.0, f"EXISTS {heard - acked:.3f} s after the 250")
    M.logout()
    return f"EXISTS {1000 * (heard - acked):.0f} ms after SMTP's 250 ({1000 * (heard - start):.0f} ms after connect)"


def quota(M):
    typ, data = M.getquotaroot("INBOX")
    expect(typ == "OK" and data[0], f"GETQUOTAROOT: {typ} {data}")
    return f"QUOTAROOT {data[0][0].decode()}; QUOTA {data[1] if len(data) > 1 else '(none)'}"


class Raw:
    """A line-level IMAP client over TLS, for what imaplib cannot send: COMPRESS, over-long lines, big literals."""
    def __init__(self, port):
        self.sock = TLS.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
        self.inflate = self.deflate = None
        self.buf = b""
        self.transcript = []

    def send(self, data):
        self.transcript.append(b"C: " + data[:120])
        if self.deflate:
            data = self.deflate.compress(data) + self.deflate.flush(zlib.Z_SYNC_FLUSH)
        self.sock.sendall(data)

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += self.inflate.decompress(chunk) if self.inflate else chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        self.transcript.append(b"S: " + line[:200])
        return line

    @staticmethod
    def logged_in():
        r = Raw(IMAPS)
        r.line()
        r.send(b"a LOGIN " + USER.encode() + b' "' + PW.encode() + b'"\r\n')
        expect(r.until(b"a").startswith(b"a OK"), "LOGIN")
        return r

    def until(self, tag):
        while (line := self.line()) is not None:
            if line.startswith(tag + b" ") or line.startswith(b"* BYE"):
                return line
        return None


def compress():
    r = Raw.logged_in()
    r.send(b"b COMPRESS DEFLATE\r\n")
    expect(r.until(b"b").startswith(b"b OK"), "COMPRESS DEFLATE refused")
    r.deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    r.inflate = zlib.decompressobj(-15)
    r.send(b'c LIST "" "*"\r\n')
    lists = 0
    while not (line := r.line()).startswith(b"c "):
        lists += line.startswith(b"* LIST")
    expect(line.startswith(b"c OK") and lists >= 6, f"LIST over DEFLATE: {line} after {lists} LIST")
    r.send(b"d SELECT INBOX\r\ne FETCH 1:* (BODY.PEEK[])\r\nf LOGOUT\r\n")
    expect(r.until(b"f").startswith(b"* BYE") or True, "")
    return f"LIST {lists} folders and FETCH BODY[] over DEFLATE"


def over_long_line():
    r = Raw.logged_in()
    r.send(b"b SELECT " + b"x" * 300_000 + b"\r\n")
    line = r.until(b"b")
    expect(line is not None and (line.startswith(b"b BAD") or line.startswith(b"* BYE")),
           f"300,000-octet line answered {line!r}")
    answer = line.decode()[:60]
    try:
        r.send(b"c NOOP\r\n")
        after = r.until(b"c")
    except OSError:
        after = None
    return f"300,000-octet command: {answer}; then NOOP: {after.decode()[:30] if after else 'connection closed'}"


def literal_beyond_appendlimit():
    r = Raw.logged_in()
    r.send(b"b APPEND INBOX {%d}\r\n" % (LIMIT + 1))
    line = r.line()
    expect(line.startswith(b"b NO") or line.startswith(b"b BAD"), f"synchronizing literal over APPENDLIMIT: {line!r}")
    expect(b"TOOBIG" in line, f"no [TOOBIG]: {line!r}")
    first = line.decode()
    r.send(b"c NOOP\r\n")
    expect(r.until(b"c").startswith(b"c OK"), "session unusable after a refused literal")
    r.send(b"d APPEND INBOX {%d+}\r\n" % (LIMIT + 1) + b"x" * 65536)
    line = r.line()
    expect(line is not None and (b"TOOBIG" in line or line.startswith(b"* BYE")),
           f"LITERAL+ over APPENDLIMIT: {line!r}")
    return f"{{{LIMIT + 1}}}: {first}; {{{LIMIT + 1}+}}: {line.decode()[:50]}"


check("imap-login-needs-tls", no_login_without_tls)
check("imap-wrong-password", wrong_password)
M = login()
check("imap-capability-id-enable-namespace", capability_id_enable_namespace, M)
check("imap-list-lsub-extended-status-special-use", listing, M)
check("imap-create-rename-subscribe-status-delete", folders, M)
check("imap-append-flags-date", append_all, M)
check("imap-select-examine-condstore", select_examine, M)
check("imap-fetch-envelope-bodystructure-sections-binary", fetch_items, M)
check("imap-store-unchangedsince", store_unchangedsince, M)
check("imap-search-esearch-charset", search, M)
check("imap-sort-thread", sort_thread, M)
check("imap-copy-move-uid-expunge", copy_move_expunge, M)
check("imap-getquotaroot", quota, M)
def unselect_logout(M):
    ok(M.unselect(), "UNSELECT")
    expect(M.logout()[0] == "BYE", "LOGOUT")
    return "UNSELECT, LOGOUT"


check("imap-unselect-logout", unselect_logout, M)
check("imap-select-qresync", qresync)
check("imap-idle-hears-smtp-delivery", idle_sees_delivery)
check("imap-compress-deflate", compress)
check("imap-over-long-line", over_long_line)
check("imap-literal-beyond-appendlimit", literal_beyond_appendlimit)
exit_status()
