"""Helpers for the Maildir sync checks (mbsync, offlineimap): bulk delivery over SMTP, changes on the server
and in a local Maildir, and the state of both sides as {subject: flags} to compare.

    mailsync.py deliver SMTP_PORT USER N PREFIX       N messages over one SMTP session
    mailsync.py remote-change IMAPS USER PW FOLDER    flag 7, expunge 4, append 2 ("remote-new N")
    mailsync.py local-change MAILDIR                  mark 10 seen, delete 5, add 3 ("local-new N")
    mailsync.py compare IMAPS USER PW FOLDER MAILDIR PREFIXES   same subjects and flags on both sides?
"""
import concurrent.futures
import email.parser
import os
import random
import smtplib
import sys
import time

from imaptools import connect, fetches, ok

# Maildir info letters and the IMAP flags they stand for (the ones both sides keep).
LETTERS = {"F": "\\Flagged", "R": "\\Answered", "S": "\\Seen", "D": "\\Draft"}


def message(subject, body="x"):
    return (f"From: bulk@example.net\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@example.net>\r\n"
            f"Date: Wed, 2 Dec 2026 10:00:00 +0000\r\n\r\n{body}\r\n").encode()


def deliver(port, user, n, prefix, connections=4):
    """N messages over CONNECTIONS SMTP sessions at once (each 250 waits for the disk; together they share it)."""
    def one_session(first):
        with smtplib.SMTP("127.0.0.1", int(port), local_hostname="client.example", timeout=30) as s:
            for i in range(first, int(n), connections):
                s.sendmail("bulk@example.net", [user], message(f"{prefix} {i:04d}", "line\r\n" * (i % 50)))

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        for f in [pool.submit(one_session, c) for c in range(connections)]:
            f.result()
    took = time.monotonic() - start
    print(f"{n} messages over {connections} SMTP sessions in {took:.1f} s ({int(n) / took:.0f}/s)")


def remote(port, user, pw, folder):
    M = connect(port)
    ok(M.login(user, pw))
    ok(M.select(folder))
    return M


def remote_state(M, folder):
    out = {}
    if int(ok(M.select(folder))[0]) == 0:
        return out
    for d in fetches(ok(M.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"))).values():
        subject = d["BODY[HEADER.FIELDS (SUBJECT)]"].decode().strip()[len("Subject: "):]
        out[subject] = sorted(f for f in d["FLAGS"] if f in LETTERS.values())
    return out


def remote_change(port, user, pw, folder):
    M = remote(port, user, pw, folder)
    uids = ok(M.uid("SEARCH", "SUBJECT", "bulk"))[0].split()
    rnd = random.Random(7)
    picked = rnd.sample(uids, 11)
    ok(M.uid("STORE", b",".join(picked[:7]), "+FLAGS.SILENT", "(\\Flagged)"))
    ok(M.uid("STORE", b",".join(picked[7:]), "+FLAGS.SILENT", "(\\Deleted)"))
    ok(M.expunge())
    for i in range(2):
        ok(M.append(folder, "(\\Seen)", None, message(f"remote-new {i}")))
    M.logout()
    print("remote: 7 flagged, 4 expunged, 2 appended")


def local_messages(maildir):
    for sub in ("cur", "new"):
        for name in sorted(os.listdir(os.path.join(maildir, sub))):
            yield sub, name


def local_change(maildir):
    rnd = random.Random(11)
    names = [(s, n) for s, n in local_messages(maildir) if b"Subject: bulk" in
             open(os.path.join(maildir, s, n), "rb").read(4096)]
    picked = rnd.sample(names, 15)
    for sub, name in picked[:10]:             # mark seen: the info part gains S (letters stay sorted)
        base, _, info = name.partition(":2,")
        letters = "".join(sorted(set(info) | {"S"}))
        os.rename(os.path.join(maildir, sub, name), os.path.join(maildir, "cur", f"{base}:2,{letters}"))
    for sub, name in picked[10:]:
        os.unlink(os.path.join(maildir, sub, name))
    for i in range(3):
        with open(os.path.join(maildir, "new", f"{time.time():.0f}.local{i}.interop"), "wb") as f:
            f.write(message(f"local-new {i}").replace(b"\r\n", b"\n"))
    print("local: 10 marked seen, 5 deleted, 3 added")


def local_state(maildir):
    out = {}
    for sub, name in local_messages(maildir):
        with open(os.path.join(maildir, sub, name), "rb") as f:
            msg = email.parser.BytesHeaderParser().parse(f)
        info = name.partition(":2,")[2]          # offlineimap keeps flags on files in new/ too
        out[str(msg["Subject"])] = sorted(LETTERS[c] for c in info if c in LETTERS)
    return out


def compare(port, user, pw, folder, maildir, prefixes):
    M = remote(port, user, pw, folder)
    prefixes = tuple(prefixes.split(","))
    far = {s: f for s, f in remote_state(M, folder).items() if s.startswith(prefixes)}
    near = {s: f for s, f in local_state(maildir).items() if s.startswith(prefixes)}
    M.logout()
    only_far, only_near = sorted(set(far) - set(near)), sorted(set(near) - set(far))
    flags = sorted(s for s in set(far) & set(near) if far[s] != near[s])
    counts = {f: sum(f in v for v in far.values()) for f in LETTERS.values()}
    print(f"server {len(far)}, local {len(near)}, flags on the server: "
          + " ".join(f"{k}={v}" for k, v in counts.items() if v))
    for what, items in (("only on the server", only_far), ("only local", only_near),
                        ("flags differ", [f"{s}: {far[s]} vs {near[s]}" for s in flags])):
        if items:
            print(f"{what} ({len(items)}): {items[:5]}")
    sys.exit(1 if only_far or only_near or flags else 0)


commands = {"deliver": deliver, "remote-change": remote_change, "local-change": local_change, "compare": compare}
commands[sys.argv[1]](*sys.argv[2:])
