#!/usr/bin/env python3
"""Regenerates the *.golden files beside this script from a real Dovecot (the reference IMAP server).

Run as root on Debian with dovecot-imapd installed (apt-get install -y dovecot-imapd). It starts Dovecot with
its own minimal configuration on a loopback port over a temporary Maildir holding the *.eml corpus (LF turned
into CRLF, as Postwerk hands messages to the mime package), fetches ENVELOPE, BODY and BODYSTRUCTURE of each
message into NN-name.golden and a list of sections (BODY[...], BINARY[...]) into NN-name.sections, and stops
Dovecot. `./mvnw verify` never needs Dovecot: only the stored files.
"""
import glob, os, pwd, re, shutil, socket, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
# Section fetches compared with Sections/Binary (FETCH BODY[section]<partial>, BINARY, BINARY.SIZE).
SECTIONS = [b"BODY.PEEK[HEADER]", b"BODY.PEEK[TEXT]", b"BODY.PEEK[1]", b"BODY.PEEK[1.MIME]", b"BODY.PEEK[2]",
            b"BODY.PEEK[2.MIME]", b"BODY.PEEK[2.HEADER]", b"BODY.PEEK[2.TEXT]", b"BODY.PEEK[2.1]",
            b"BODY.PEEK[2.2.MIME]", b"BODY.PEEK[1.1]", b"BODY.PEEK[3]", b"BODY.PEEK[1.HEADER]",
            b"BODY.PEEK[HEADER.FIELDS (From SUBJECT x-none)]", b"BODY.PEEK[HEADER.FIELDS.NOT (from subject)]",
            b"BODY.PEEK[2.HEADER.FIELDS (subject)]", b"BODY.PEEK[1]<2.5>", b"BODY.PEEK[TEXT]<100000.5>",
            b"BINARY.PEEK[1]", b"BINARY.SIZE[1]", b"BINARY.PEEK[2]", b"BINARY.SIZE[2]", b"BINARY.PEEK[1]<1.3>"]
port = int(sys.argv[1]) if len(sys.argv) > 1 else 24143
work = tempfile.mkdtemp(prefix="dovecot-golden-")
os.chmod(work, 0o755)
maildir = os.path.join(work, "home", "Maildir")
for d in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(maildir, d))
names = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(here, "*.eml")))
for i, name in enumerate(names):
    data = open(os.path.join(here, name + ".eml"), "rb").read()
    data = re.sub(rb"(?<!\r)\n", b"\r\n", data)
    with open(os.path.join(maildir, "cur", "%d.%d.golden:2," % (1000000 + i, i)), "wb") as f:
        f.write(data)
dovecot = pwd.getpwnam("dovecot")
for root, dirs, files in os.walk(os.path.join(work, "home")):
    for p in [root] + [os.path.join(root, x) for x in files]:
        os.chown(p, dovecot.pw_uid, dovecot.pw_gid)
conf = os.path.join(work, "dovecot.conf")
open(conf, "w").write(f"""
base_dir = {work}/run
state_dir = {work}/state
log_path = {work}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_login_user = dovenull
default_internal_user = dovecot
mail_uid = dovecot
mail_gid = dovecot
first_valid_uid = 1
mail_location = maildir:{work}/home/Maildir
passdb {{
  driver = static
  args = password=golden
}}
userdb {{
  driver = static
  args = home={work}/home
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
subprocess.run(["dovecot", "-c", conf], check=True)
try:
    for _ in range(50):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            break
        except OSError:
            time.sleep(0.1)
    f = s.makefile("rb")

    def command(tag, text, refusal_ok=False):
        s.sendall(tag + b" " + text + b"\r\n")
        out = b""
        while True:
            line = f.readline()
            if not line:
                raise SystemExit("connection closed")
            m = re.search(rb"\{(\d+)\}\r\n$", line)
            out += line
            if m:
                out += f.read(int(m.group(1)))
                continue
            if line.startswith(tag + b" "):
                if not line.startswith(tag + b" OK") and not refusal_ok:
                    raise SystemExit(line)
                return out

    f.readline()
    command(b"a", b"LOGIN golden golden")
    command(b"b", b"SELECT INBOX")
    for i, name in enumerate(names):
        golden = b""
        for item in (b"ENVELOPE", b"BODY", b"BODYSTRUCTURE"):
            out = command(b"c", b"FETCH %d (%s)" % (i + 1, item))
            start = out.index(b"(" + item + b" ") + len(item) + 2
            end = out.rindex(b")\r\nc OK")
            golden += item + b" " + out[start:end] + b"\n"
        open(os.path.join(here, name + ".golden"), "wb").write(golden)
        sections = b""
        for item in SECTIONS:
            out = command(b"c", b"FETCH %d (%s)" % (i + 1, item), refusal_ok=True)
            if b"\r\nc NO " in b"\r\n" + out:
                # a refusal such as NO [UNKNOWN-CTE]: the response code only
                sections += item + b" " + re.search(rb"c NO (\[[A-Z-]+\])", out).group(1) + b"\n"
                continue
            start = out.index(b" FETCH (") + len(b" FETCH (")
            if b")\r\nc OK" not in out:
                raise SystemExit(b"unexpected answer to " + item + b": " + out)
            end = out.rindex(b")\r\nc OK")
            sections += out[start:end] + b"\n"
        open(os.path.join(here, name + ".sections"), "wb").write(sections)
        print("wrote", name + ".golden and .sections")
    command(b"z", b"LOGOUT")
finally:
    subprocess.run(["doveadm", "-c", conf, "stop"])
    time.sleep(0.5)
    shutil.rmtree(work, ignore_errors=True)
