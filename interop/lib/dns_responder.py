"""A tiny DNS responder on loopback, UDP and TCP, for interop checks that must not leave the
machine (milters and filters look names up from the start).

    dns_responder.py [ADDRESS:]PORT [--every-a=IPV4] [NAME=TEXT]...      (ADDRESS 127.0.0.1 unless given)

A TXT query for a NAME given gets TEXT (split into 255-octet strings, as a DKIM key record is); any other type of
such a NAME gets an empty NOERROR; every other name NXDOMAIN, at once, so nothing waits for a timeout. With
--every-a, every name exists: an A query gets IPV4 (an ACME test CA reaching the server on loopback), other
types an empty NOERROR. Prints "ready" once both sockets listen.
"""
import socket, struct, sys, threading

address, _, port = sys.argv[1].rpartition(':')
address, port = address or '127.0.0.1', int(port)
txt = {}
every_a = None
for a in sys.argv[2:]:
    if a.startswith('--every-a='):
        every_a = socket.inet_aton(a.split('=', 1)[1])
        continue
    k, v = a.split('=', 1)
    txt[k.lower().rstrip('.')] = v.encode()

def answer(q):
    if len(q) < 12:
        return None
    qid, flags, qd = struct.unpack('>HHH', q[:6])
    if qd != 1:
        return None
    i, labels = 12, []
    while q[i]:
        labels.append(q[i + 1:i + 1 + q[i]].decode('ascii', 'replace'))
        i += 1 + q[i]
    end = i + 5
    qtype = struct.unpack('>H', q[i + 1:i + 3])[0]
    name = '.'.join(labels).lower()
    rd = flags & 0x0100
    question = q[12:end]
    if name in txt and qtype == 16:
        data = b''.join(bytes([len(txt[name][j:j + 255])]) + txt[name][j:j + 255] for j in range(0, len(txt[name]), 255))
        rr = b'\xc0\x0c' + struct.pack('>HHIH', 16, 1, 60, len(data)) + data
        return struct.pack('>HHHHHH', qid, 0x8400 | rd | 0x80, 1, 1, 0, 0) + question + rr
    if every_a is not None and qtype == 1:
        rr = b'\xc0\x0c' + struct.pack('>HHIH', 1, 1, 60, 4) + every_a
        return struct.pack('>HHHHHH', qid, 0x8400 | rd | 0x80, 1, 1, 0, 0) + question + rr
    rcode = 0 if name in txt or every_a is not None else 3   # the name exists without this type: NOERROR, empty
    return struct.pack('>HHHHHH', qid, 0x8400 | rd | 0x80 | rcode, 1, 0, 0, 0) + question

def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((address, port))
    while True:
        q, peer = s.recvfrom(4096)
        try:
            a = answer(q)
        except Exception:
            a = None
        if a:
            s.sendto(a, peer)

def tcp_client(c):
    with c:
        while True:
            n = c.recv(2)
            if len(n) < 2:
                return
            q = b''
            while len(q) < struct.unpack('>H', n)[0]:
                more = c.recv(4096)
                if not more:
                    return
                q += more
            a = answer(q)
            if a:
                c.sendall(struct.pack('>H', len(a)) + a)

t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind((address, port))
t.listen(16)
threading.Thread(target=udp, daemon=True).start()
print('ready', flush=True)
while True:
    c, _ = t.accept()
    threading.Thread(target=tcp_client, args=(c,), daemon=True).start()
