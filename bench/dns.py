"""A tiny authoritative DNS server for S8 and S9: answers from one zone file on ADDRESS port 53 (UDP and TCP),
NXDOMAIN for every other name, so no query ever leaves the machine. Both servers (and their policy services,
milters and rspamd) ask it, the same answers with the same TTL for all.

  dns.py ADDRESS ZONEFILE        runs until killed; zone lines: "name TYPE value" (TYPE: A, TXT, MX, PTR)

TXT values longer than 255 octets are split into several strings (RFC 1035 3.3.14), as a zone file would.
A UDP answer larger than the client's size (512, or its EDNS0 size) is sent truncated (TC), so the client asks
again over TCP (RFC 7766).
"""
import os
import socket
import socketserver
import struct
import sys
import threading

TYPES = {"A": 1, "PTR": 12, "MX": 15, "TXT": 16}
TTL = 3600
LOG = os.environ.get("BENCH_DNS_LOG") == "1"   # every query to stdout (bench/run sends it to dns.log)


def rdata(kind, value):
    if kind == "A":
        return socket.inet_aton(value)
    if kind == "TXT":
        raw = value.encode()
        return b"".join(bytes([len(raw[i:i + 255])]) + raw[i:i + 255] for i in range(0, max(len(raw), 1), 255))
    if kind == "MX":
        pref, host = value.split()
        return struct.pack("!H", int(pref)) + wire_name(host)
    return wire_name(value)  # PTR


def wire_name(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".") if p) + b"\0"


def load(path):
    zone = {}
    for line in open(path):
        if line.strip() and not line.startswith("#"):
            name, kind, value = line.strip().split(None, 2)
            zone.setdefault((name.rstrip(".").lower(), TYPES[kind]), []).append(rdata(kind, value))
    return zone


def answer(zone, query, limit):
    """The response to one query message, or None for garbage. limit: the largest size the client takes."""
    if len(query) < 12:
        return None
    qid, flags, qd = struct.unpack("!HHH", query[:6])
    if qd != 1 or flags & 0x8000:
        return None
    pos, labels = 12, []
    while pos < len(query) and query[pos]:
        labels.append(query[pos + 1:pos + 1 + query[pos]].decode("ascii", "replace"))
        pos += query[pos] + 1
    pos += 1
    if pos + 4 > len(query):
        return None
    qtype, = struct.unpack("!H", query[pos:pos + 2])
    question = query[12:pos + 4]
    opt_at = pos + 4   # an OPT record (EDNS0, RFC 6891) right after the question: root name, type 41, size
    edns = len(query) >= opt_at + 11 and query[opt_at:opt_at + 3] == b"\x00\x00\x29"
    if edns:
        limit = max(limit, struct.unpack("!H", query[opt_at + 3:opt_at + 5])[0])
    name = ".".join(labels).lower()
    records = zone.get((name, qtype), [])
    # A name above a record's name exists too (an empty non-terminal, RFC 8020): NODATA, not NXDOMAIN, else a
    # resolver that asks _domainkey.auth.example first would take the whole subtree for absent.
    exists = records or any(k[0] == name or k[0].endswith("." + name) for k in zone)
    rcode = 0 if exists else 3
    body = b"".join(b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, TTL, len(r)) + r for r in records)
    opt = b"\0" + struct.pack("!HHIH", 41, 4096, 0, 0) if edns else b""
    flags_out = 0x8480 | (flags & 0x0100) | rcode   # QR, AA, RA (resolvers that forward want it), RD copied
    if LOG:
        print(name, qtype, rcode, len(records), "edns" if edns else "", flush=True)
    msg = struct.pack("!HHHHHH", qid, flags_out, 1, len(records), 0, 1 if edns else 0) + question + body + opt
    if len(msg) > limit:
        msg = struct.pack("!HHHHHH", qid, flags_out | 0x0200, 1, 0, 0, 1 if edns else 0) + question + opt
    return msg


def main():
    address, path = sys.argv[1], sys.argv[2]
    zone = load(path)

    class Tcp(socketserver.BaseRequestHandler):
        def handle(self):
            f = self.request.makefile("rb")
            while True:
                head = f.read(2)
                if len(head) < 2:
                    return
                query = f.read(struct.unpack("!H", head)[0])
                msg = answer(zone, query, 65535)
                if msg is None:
                    return
                self.request.sendall(struct.pack("!H", len(msg)) + msg)

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    socketserver.ThreadingTCPServer.daemon_threads = True
    tcp = socketserver.ThreadingTCPServer((address, 53), Tcp)
    threading.Thread(target=tcp.serve_forever, daemon=True).start()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((address, 53))
    while True:
        query, peer = udp.recvfrom(4096)
        msg = answer(zone, query, 512)
        if msg is not None:
            udp.sendto(msg, peer)


if __name__ == "__main__":
    main()
