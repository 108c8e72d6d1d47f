"""Writes the IMAP scenarios' test mailbox: a Maildir of N plain-text messages, the same bytes for both servers.

  mkmaildir.py DIR N          creates DIR/{cur,new,tmp} and N messages in cur/

Reproducible (fixed seed): 200 senders, subjects from a small vocabulary, Dates one every ~1.5 hours going back
from 2026-11-01 (so SINCE picks a known share), bodies of 1-6 KB. LF line ends, as Dovecot and Postwerk store
them; the file name carries ,S= (size on disk) and ,W= (size with CRLF) as Dovecot writes them; 70 % are \\Seen,
5 % \\Flagged. The file's mtime is its Date: both servers take a Maildir message's INTERNALDATE from it.
"""
import os
import random
import sys
import time
from email.utils import formatdate

WORDS = ("invoice quarterly report meeting agenda offer contract project budget review release notes travel "
         "update schedule minutes proposal order shipment delivery support ticket question answer").split()
BODY_LINE = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.\n"


def main():
    root, n = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(20261201)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    end = time.mktime((2026, 11, 1, 0, 0, 0, 0, 0, -1))
    for i in range(n):
        when = end - (n - i) * 5400
        sender = f"sender{rnd.randrange(200):03d}@example{rnd.randrange(5)}.test"
        subject = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(2, 6))) + f" #{i}"
        head = (f"Return-Path: <{sender}>\nMessage-ID: <{i}.{rnd.getrandbits(40):x}@bench.test>\n"
                f"Date: {formatdate(when, localtime=False)}\nFrom: Sender {sender[6:9]} <{sender}>\n"
                f"To: Bench User <i@bench.test>\nSubject: {subject}\nMIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=us-ascii\n\n")
        body = BODY_LINE * rnd.randrange(10, 60)
        data = (head + body).encode("ascii")
        flags = ("F" if rnd.random() < 0.05 else "") + ("S" if rnd.random() < 0.7 else "")
        crlf_size = len(data) + data.count(b"\n")
        name = f"{int(when)}.M{i}P1.bench,S={len(data)},W={crlf_size}:2,{flags}"
        path = os.path.join(root, "cur", name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (when, when))


if __name__ == "__main__":
    main()
