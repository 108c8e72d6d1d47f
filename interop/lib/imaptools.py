"""Shared by the IMAP interop checks: imaplib connections that keep a transcript, a parser for IMAP response
data (atoms, strings, literals, lists), FETCH results as dicts, and PASS/FAIL reporting."""
import collections
import imaplib
import re
import ssl
import sys
import traceback

# imaplib knows neither ID nor MOVE; teach it (the states are those of RFC 2971 and RFC 6851).
imaplib.Commands.setdefault("ID", ("NONAUTH", "AUTH", "SELECTED", "LOGOUT"))
imaplib.Commands.setdefault("MOVE", ("SELECTED",))
imaplib.Commands.setdefault("COMPRESS", ("AUTH", "SELECTED"))

TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE          # the server's certificate is self-signed


class Recorder:
    """Mixin that keeps the last lines sent and received, to print when a check fails."""
    def _rec(self, prefix, data):
        if not hasattr(self, "transcript"):
            self.transcript = collections.deque(maxlen=60)
        text = data.decode("utf-8", "replace").rstrip("\r\n")
        self.transcript.append(prefix + (text if len(text) < 300 else text[:300] + f"... ({len(text)} chars)"))

    def send(self, data):
        self._rec("C: ", data)
        super().send(data)

    def _get_line(self):
        line = super()._get_line()
        self._rec("S: ", line)
        return line

    def read(self, size):
        data = super().read(size)
        self._rec("S: ", b"<literal %d octets> " % size + data[:200])
        return data


class Imap(Recorder, imaplib.IMAP4):
    pass


class ImapTls(Recorder, imaplib.IMAP4_SSL):
    pass


def connect(port, tls=True, host="127.0.0.1"):
    return ImapTls(host, int(port), ssl_context=TLS, timeout=30) if tls else Imap(host, int(port), timeout=30)


def ok(result, what=""):
    """imaplib's (typ, data): the data when typ is OK, else an error naming the command."""
    typ, data = result
    if typ != "OK":
        raise AssertionError(f"{what or 'command'}: {typ} {data!r}")
    return data


# --- Response data ----------------------------------------------------------------------------------------
def join(data):
    """imaplib's response list ([bytes | (head, literal)]) as whole responses, literals inline as {n}CRLF..."""
    out, cur, pending = [], b"", False
    for el in data:
        if el is None:
            continue
        if isinstance(el, tuple):
            cur += el[0] + b"\r\n" + el[1]
            pending = True
        elif pending:
            out.append(cur + el)
            cur, pending = b"", False
        else:
            out.append(el)
    if pending:
        out.append(cur)
    return out


class Literal(bytes):
    """A string sent as a literal (kept apart from quoted strings only for the record)."""


def parse(data):
    """IMAP data (RFC 9051 §4) as Python values: lists, bytes (strings), str (atoms, upper case kept), None (NIL)."""
    pos = 0
    n = len(data)

    def value():
        nonlocal pos
        c = data[pos:pos + 1]
        if c == b"(":
            pos += 1
            items = []
            while True:
                while pos < n and data[pos:pos + 1] == b" ":
                    pos += 1
                if pos >= n:
                    raise ValueError("unterminated list")
                if data[pos:pos + 1] == b")":
                    pos += 1
                    return items
                items.append(value())
        if c == b'"':
            pos += 1
            s = bytearray()
            while data[pos:pos + 1] != b'"':
                if data[pos:pos + 1] == b"\\":
                    pos += 1
                s += data[pos:pos + 1]
                pos += 1
            pos += 1
            return bytes(s)
        if c in (b"{", b"~") and re.match(rb"~?\{(\d+)\+?\}\r\n", data[pos:]):
            m = re.match(rb"~?\{(\d+)\+?\}\r\n", data[pos:])
            pos += m.end()
            lit = Literal(data[pos:pos + int(m.group(1))])
            pos += int(m.group(1))
            return lit
        start, depth = pos, 0           # an atom; BODY[HEADER.FIELDS (A B)]<0.10> stays one
        while pos < n:
            ch = data[pos:pos + 1]
            if ch == b"[":
                depth += 1
            elif ch == b"]":
                depth -= 1
            elif depth == 0 and ch in b" ()":
                break
            pos += 1
        atom = data[start:pos].decode("ascii", "replace")
        return None if atom.upper() == "NIL" else atom

    items = []
    while pos < n:
        while pos < n and data[pos:pos + 1] == b" ":
            pos += 1
        if pos < n:
            items.append(value())
    return items


def fetches(data):
    """FETCH responses (imaplib's data) as {seq: {ITEM: value}}, item names upper case."""
    out = {}
    for resp in join(data):
        m = re.match(rb"(\d+) \(", resp)
        if not m:
            continue
        seq = int(m.group(1))
        lst = parse(resp[m.end() - 1:])[0]
        d = out.setdefault(seq, {})
        for i in range(0, len(lst) - 1, 2):
            d[lst[i].upper()] = lst[i + 1]
    return out


def untagged(M, name):
    """And clears: the untagged responses NAME imaplib collected so far."""
    return M.untagged_responses.pop(name.upper(), [])


# --- Reporting --------------------------------------------------------------------------------------------
failures = 0


def check(name, fn, *args):
    """Runs fn; prints "PASS name (figure)" with what fn returns, or "FAIL name: why" and the transcript."""
    global failures
    try:
        figure = fn(*args)
        print(f"PASS {name}" + (f" ({figure})" if figure else ""), flush=True)
        return True
    except Exception as e:  # noqa: BLE001 - a check fails on anything, and says what
        failures += 1
        print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        if not isinstance(e, AssertionError):
            for line in traceback.format_exc().splitlines()[-6:-1]:
                print("    " + line)
        for M in [a for a in args if isinstance(a, Recorder)] + list(getattr(e, "conns", [])):
            for line in getattr(M, "transcript", []):
                print("    " + line)
        return False


def expect(cond, why):
    if not cond:
        raise AssertionError(why)


def exit_status():
    sys.exit(1 if failures else 0)


# --- Test messages ----------------------------------------------------------------------------------------
def corpus():
    """(name, flags, internal date, message) for a varied set of messages: nested multipart, message/rfc822,
    encoded words, raw 8-bit and UTF-8 header fields, attachments with RFC 2231 names, a thread."""
    def m(text):
        return text.replace("\n", "\r\n").encode("utf-8") if isinstance(text, str) else text

    base64_pdf = "JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDw+PgolJUVPRgo="
    return [
        ("plain", r"(\Seen)", "01-Dec-2026 09:00:00 +0100", m(
            "From: Bob Example <bob@example.net>\nTo: alice@example.test\nSubject: Plain hello\n"
            "Date: Tue, 1 Dec 2026 09:00:00 +0100\nMessage-ID: <plain@example.net>\n\nHello Alice,\nplain text.\n")),
        ("encoded-words", r"(\Flagged $Important)", "02-Dec-2026 10:30:00 +0000", m(
            "From: =?ISO-8859-1?Q?Ren=E9_M=FCller?= <rene@example.net>\n"
            "To: =?UTF-8?B?SsO2cmc=?= <joerg@example.test>, \"Doe, Jane\" <jane@example.test>\n"
            "Cc: undisclosed-recipients:;\n"
            "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?= =?UTF-8?B?IOKCrA==?=\n"
            "Date: Wed, 2 Dec 2026 10:30:00 +0000\nMessage-ID: <ew@example.net>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
            "Gr=FC=DFe!\n")),
        ("utf8-headers", "(Project)", "03-Dec-2026 11:00:00 +0000", m(
            "From: Jörg Ärger <jörg@example.test>\nTo: alice@example.test\nSubject: Überraschung für dich\n"
            "Date: Thu, 3 Dec 2026 11:00:00 +0000\nMessage-ID: <utf8@example.net>\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße aus Köln.\n")),
        ("latin1-8bit", "()", "04-Dec-2026 12:00:00 +0000",
            b"From: carol@example.net\r\nTo: alice@example.test\r\nSubject: 8-bit latin-1 body\r\n"
            b"Date: Fri, 4 Dec 2026 12:00:00 +0000\r\nMessage-ID: <latin1@example.net>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            b"Sch\xf6ne Gr\xfc\xdfe\r\n"),
        ("nested-multipart", r"(\Answered)", "05-Dec-2026 13:00:00 +0000", m(
            "From: Dave <dave@example.net>\nTo: alice@example.test\nSubject: Report with attachment\n"
            "Date: Sat, 5 Dec 2026 13:00:00 +0000\nMessage-ID: <nested@example.net>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=\"outer\"\n\nThis is a MIME message.\n"
            "--outer\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n"
            "--inner\nContent-Type: text/plain; charset=utf-8; format=flowed\nContent-Transfer-Encoding: 7bit\n\n"
            "See the report. \nThanks\n"
            "--inner\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
            "<p>See the <b>report</b>.</p>=\n<p>Thanks</p>\n--inner--\n"
            "--outer\nContent-Type: application/pdf; name=\"report.pdf\"\n"
            "Content-Disposition: attachment; filename*=utf-8''Bericht%20%C3%BCber.pdf; size=62\n"
            "Content-Transfer-Encoding: base64\nContent-ID: <part3@example.net>\n"
            "Content-Description: The report\nContent-Language: de, en\n\n" + base64_pdf + "\n--outer--\n")),
        ("message-rfc822", "()", "06-Dec-2026 14:00:00 +0000", m(
            "From: Erin <erin@example.net>\nTo: alice@example.test\nSubject: Fwd: Plain hello\n"
            "Date: Sun, 6 Dec 2026 14:00:00 +0000\nMessage-ID: <fwd@example.net>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\nForwarded below.\n"
            "--b1\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n"
            "From: Bob Example <bob@example.net>\nTo: erin@example.net\nSubject: =?UTF-8?Q?Inner_=C3=A9?=\n"
            "Date: Mon, 30 Nov 2026 08:00:00 +0000\nMessage-ID: <inner@example.net>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/alternative; boundary=b2\n\n--b2\nContent-Type: text/plain; charset=us-ascii\n\n"
            "inner text\n--b2\nContent-Type: text/enriched\n\n<bold>inner</bold>\n--b2--\n\n--b1--\n")),
        ("thread-root", r"(\Seen)", "07-Dec-2026 08:00:00 +0000", m(
            "From: Frank <frank@example.net>\nTo: alice@example.test\nSubject: Lunch?\n"
            "Date: Mon, 7 Dec 2026 08:00:00 +0000\nMessage-ID: <t1@example.net>\n\nLunch today?\n")),
        ("thread-reply", r"(\Seen \Answered)", "07-Dec-2026 09:00:00 +0000", m(
            "From: Alice <alice@example.test>\nTo: frank@example.net\nSubject: Re: Lunch?\n"
            "Date: Mon, 7 Dec 2026 09:00:00 +0000\nMessage-ID: <t2@example.net>\nIn-Reply-To: <t1@example.net>\n"
            "References: <t1@example.net>\n\nYes, at noon.\n")),
        ("thread-reply2", "()", "07-Dec-2026 10:00:00 +0000", m(
            "From: Frank <frank@example.net>\nTo: alice@example.test\nSubject: RE: [list] Re: Lunch?\n"
            "Date: Mon, 7 Dec 2026 10:00:00 +0000\nMessage-ID: <t3@example.net>\nIn-Reply-To: <t2@example.net>\n"
            "References: <t1@example.net> <t2@example.net>\n\nGreat.\n")),
        ("no-date-empty-body", r"(\Draft)", "08-Dec-2026 10:00:00 -0500", m(
            "From: draft@example.test\nSubject: \n\n")),
        ("signed", "()", "09-Dec-2026 10:00:00 +0000", m(
            "From: Grace <grace@example.net>\nTo: alice@example.test, bob@example.net\nReply-To: list@example.net\n"
            "Sender: owner@example.net\nBcc: secret@example.net\nIn-Reply-To: <x@y>\nSubject: Signed\n"
            "Date: Wed, 9 Dec 2026 10:00:00 +0000\nMessage-ID: <signed@example.net>\nMIME-Version: 1.0\n"
            "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256; "
            "boundary=\"sig\"\n\n--sig\nContent-Type: text/plain; charset=us-ascii\n\nSigned text\n"
            "--sig\nContent-Type: application/pgp-signature; name=\"signature.asc\"\n"
            "Content-Description: OpenPGP digital signature\n\n-----BEGIN PGP SIGNATURE-----\nAAAA\n"
            "-----END PGP SIGNATURE-----\n--sig--\n")),
    ]


def tricky():
    """Messages that MIME parsers disagree on, for the comparison with Dovecot only (same tuple form)."""
    def m(text):
        return text.replace("\n", "\r\n").encode("utf-8")

    return [
        ("digest", "()", "10-Dec-2026 10:00:00 +0000", m(
            "From: list@example.net\nSubject: Digest\nMIME-Version: 1.0\n"
            "Content-Type: multipart/digest; boundary=d\n\npreamble text\n--d\n\n"
            "From: a@example.net\nSubject: first\n\none\n--d\nContent-Type: message/rfc822\n\n"
            "From: b@example.net\nSubject: second\n\ntwo\n--d--\nepilogue text\n")),
        ("rfc2231-continuations", "()", "10-Dec-2026 11:00:00 +0000", m(
            "From: \"Bob (the builder)\" <bob@example.net> (comment)\nTo: <@route.example:carol@example.net>, "
            "dave@example.net (Dave), Team: amy@example.net, ben@example.net;, \nSubject: Parameters\n"
            "MIME-Version: 1.0\nContent-Type: multipart/mixed;\n boundary=\"=_a b\"\n\n--=_a b\n"
            "Content-Type: TEXT/PLAIN; CHARSET=\"UTF-8\"; Format=Flowed\nContent-Transfer-Encoding: QUOTED-PRINTABLE\n"
            "Content-Language: en-US, de\nContent-Location: http://example.net/x\nContent-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==\n\n"
            "caf=C3=A9 =\nsoft break\n--=_a b\n"
            "Content-Type: application/octet-stream;\n name*0*=utf-8''L%C3%A4nger;\n name*1=\"er Name.bin\"\n"
            "Content-Disposition: attachment;\n filename*0*=utf-8''L%C3%A4nger;\n filename*1=\"er Name.bin\"\n\n"
            "raw bytes without encoding\n--=_a b--\n")),
        ("broken", "()", "10-Dec-2026 12:00:00 +0000", m(
            "From: broken@example.net\nSubject: =?utf-8?q?broken_encoded_word?= =?x-unknown?q?abc?=\n"
            "Subject: second subject\nContent-Type: multipart/mixed; boundary=never\n"
            "Content-Transfer-Encoding: base64\n\nno boundary ever appears\n--almost\n")),
        ("folded-no-newline", "()", "10-Dec-2026 13:00:00 +0000",
            b"From: folded@example.net\r\nSubject: a long subject that is\r\n\tfolded over\r\n  two lines\r\n"
            b"Content-Type: text/plain;\r\n charset=us-ascii\r\nMessage-ID:\r\n <folded@example.net>\r\n\r\n"
            b"last line has no line break"),
        ("message-8bit-inner", "()", "10-Dec-2026 14:00:00 +0000", m(
            "From: x@example.net\nSubject: inner 8bit\nMIME-Version: 1.0\nContent-Type: message/rfc822\n"
            "Content-Transfer-Encoding: 8bit\n\nFrom: Jörg <j@example.net>\nSubject: Grüße\n"
            "Content-Type: text/plain; charset=utf-8\n\nÄpfel\n")),
        ("empty-multipart", "()", "10-Dec-2026 15:00:00 +0000", m(
            "From: e@example.net\nSubject: empty multipart\nContent-Type: multipart/alternative; boundary=e\n\n"
            "--e--\n")),
        ("no-subtype", "()", "10-Dec-2026 16:00:00 +0000", m(
            "From: t@example.net\nSubject: type without subtype\nContent-Type: text\n"
            "Content-Disposition: inline\nContent-ID: <cid@example.net>\n\nbody\n")),
    ]
