#!/usr/bin/env python3
"""Regenerates the *.golden files beside this script from a real Dovecot (the reference IMAP server).

Run as root on Debian with dovecot-imapd installed (apt-get install -y dovecot-imapd). It starts Dovecot with
its own minimal configuration on a loopback port over a temporary Maildir holding the *.eml corpus (LF turned
into CRLF, as Postwerk hands messages to the mime package), fetches ENVELOPE, BODY and BODYSTRUCTURE of each
message, writes NN-name.golden, and stops Dovecot. `./mvnw verify` never needs Dovecot: only the stored files.
"""
import glob, os, pwd, re, shutil, socket, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
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

    def command(tag, text):
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
                if not line.startswith(tag + b" OK"):
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
        print("wrote", name + ".golden")
    command(b"z", b"LOGOUT")
finally:
    subprocess.run(["doveadm", "-c", conf, "stop"])
    time.sleep(0.5)
    shutil.rmtree(work, ignore_errors=True)
