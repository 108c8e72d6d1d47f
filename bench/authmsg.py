"""The test zone and the one DKIM-signed message of S8 and S9, made once before the run.

  authmsg.py OUTDIR

Writes OUTDIR/dkim.key (RSA-2048, made with openssl), OUTDIR/zone (for bench/dns.py) and OUTDIR/message.eml: a
4 KB text message from a@auth.example to u@bench.test, signed by d=auth.example, s=s8 (rsa-sha256, relaxed/relaxed)
with Debian's python3-dkim (dkimpy), CRLF line ends. The zone gives auth.example an SPF record that passes for
127.0.0.1, a DMARC record (p=reject) and the selector's public key; the client's HELO name load.bench.test gets
an SPF record and forward/reverse entries too, so every check of both servers has its answer.
"""
import base64
import email.utils
import os
import subprocess
import sys
import textwrap

import dkim

WORDS = ("the quarterly figures are attached as discussed in our meeting last week please check the totals for "
         "the northern region before friday and let me know if anything looks wrong we also need the updated "
         "delivery schedule for the warehouse and a short note on the staffing plan for the next month").split()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    key = os.path.join(out, "dkim.key")
    # -traditional: the PKCS#1 form dkimpy reads.
    subprocess.run(["openssl", "genrsa", "-traditional", "-out", key, "2048"], check=True, capture_output=True)
    der = subprocess.run(["openssl", "rsa", "-in", key, "-pubout", "-outform", "DER"], check=True,
                         capture_output=True).stdout
    with open(os.path.join(out, "zone"), "w") as f:
        f.write(textwrap.dedent(f"""\
            auth.example TXT v=spf1 ip4:127.0.0.1 -all
            auth.example A 127.0.0.1
            auth.example MX 10 mx.auth.example
            mx.auth.example A 127.0.0.1
            _dmarc.auth.example TXT v=DMARC1; p=reject; adkim=r; aspf=r
            s8._domainkey.auth.example TXT v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}
            load.bench.test TXT v=spf1 ip4:127.0.0.1 -all
            load.bench.test A 127.0.0.1
            1.0.0.127.in-addr.arpa PTR load.bench.test
            """))
    lines, line = [], []
    i = 0
    while sum(len(x) + 2 for x in lines) < 3800:
        line.append(WORDS[i % len(WORDS)])
        i += 1
        if len(" ".join(line)) > 70:
            lines.append(" ".join(line))
            line = []
    body = "Hello,\r\n\r\n" + "\r\n".join(lines) + "\r\n\r\nRegards,\r\nAlice\r\n"
    head = (f"From: Alice Example <a@auth.example>\r\nTo: <u@bench.test>\r\nSubject: Quarterly figures\r\n"
            f"Date: {email.utils.formatdate(localtime=False)}\r\n"
            f"Message-ID: <{email.utils.make_msgid(domain='auth.example')[1:-1]}>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
    msg = (head + body).encode("ascii")
    with open(key, "rb") as f:
        sig = dkim.sign(msg, b"s8", b"auth.example", f.read(), canonicalize=(b"relaxed", b"relaxed"),
                        include_headers=[b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
                                         b"content-type"])
    with open(os.path.join(out, "message.eml"), "wb") as f:
        f.write(sig.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + msg)


if __name__ == "__main__":
    main()
