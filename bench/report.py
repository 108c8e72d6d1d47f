"""Turns bench/run's per-round records into the results tables: medians per server, ratio Postwerk / the peer
(Postfix for the SMTP scenarios S*, Dovecot for the IMAP scenarios I*).

  report.py RESULTS.tsv MACHINE.json PARAMS.json OUT_PREFIX      writes OUT_PREFIX.md and OUT_PREFIX.json

RESULTS.tsv lines: scenario, server, round, key, value (tab-separated). A key "error" marks the server's
figure n/a for that scenario; "note" is printed under the table.
"""
import json
import statistics
import sys
from collections import defaultdict

# (key, label, unit, direction): direction "+" higher is better, "-" lower is better.
METRICS = {
    "S1": [("accepted_per_s", "accepted", "msg/s", "+"), ("delivered_per_s", "in Maildir, end to end", "msg/s", "+"),
           ("delivered_s", "time until all {S1_N} in Maildir", "s", "-")],
    "S2": [("delivered_per_s", "at the sink, end to end", "msg/s", "+"), ("accepted_per_s", "accepted", "msg/s", "+"),
           ("delivered_s", "time until all {S2_N} at the sink", "s", "-")],
    "S3": [("p50_ms", "p50 per transaction", "ms", "-"), ("p99_ms", "p99 per transaction", "ms", "-")],
    "S4-1MB": [("accepted_mb_s", "accepted", "MB/s", "+"), ("delivered_mb_s", "in Maildir, end to end", "MB/s", "+")],
    "S4-10MB": [("accepted_mb_s", "accepted", "MB/s", "+"), ("delivered_mb_s", "in Maildir, end to end", "MB/s", "+")],
    "S5": [("held", "sessions held (of {S5_N})", "", "+"), ("probe_ok", "new session served while held (1 yes, 0 no)", "", "+"),
           ("probe_ms", "new session while held", "ms", "-"),
           ("rss_per_conn_kb", "RSS per held session", "KB", "-"), ("pss_per_conn_kb", "PSS per held session", "KB", "-")],
    "S6": [("accepted_per_s", "accepted", "msg/s", "+"), ("delivered_per_s", "in Maildir, end to end", "msg/s", "+")],
    "S7": [("delivered_per_s", "signed, at the sink, end to end", "msg/s", "+"), ("accepted_per_s", "accepted", "msg/s", "+"),
           ("delivered_s", "time until all {S2_N} at the sink", "s", "-")],
    "W1": [("start_ms", "start to listening", "ms", "-"), ("to90_msgs", "messages until a 1,000 reaches 90% of S1", "", "-"),
           ("first_per_s", "first 1,000 after the start", "msg/s", "+"), ("fifth_per_s", "fifth 1,000", "msg/s", "+"),
           ("tenth_per_s", "tenth 1,000", "msg/s", "+")],
    "S8": [("accepted_per_s", "accepted, SPF+DKIM+DMARC checked", "msg/s", "+"),
           ("delivered_per_s", "in Maildir, end to end", "msg/s", "+"), ("delivered_s", "time until all {S8_N} in Maildir", "s", "-"),
           ("shared_cpu_s", "test DNS server CPU time (shared, not in the server's)", "s", "-")],
    "S9": [("accepted_per_s", "accepted, scanned by rspamd", "msg/s", "+"),
           ("delivered_per_s", "in Maildir, end to end", "msg/s", "+"), ("delivered_s", "time until all {S9_N} in Maildir", "s", "-"),
           ("shared_cpu_s", "rspamd + DNS server CPU time (shared, not in the server's)", "s", "-")],
    "I1": [("msgs_per_s", "messages fetched, 4 sessions", "msg/s", "+"),
           ("fetch_ms_p50", "one FETCH 1:* of {IMAP_N}, p50", "ms", "-")],
    "I2": [("per_s", "SELECT + 3 SEARCH, 4 sessions", "iterations/s", "+"),
           ("iteration_ms_p50", "one iteration, p50", "ms", "-")],
    "I3": [("msgs_per_s", "APPEND 4 KB, 20 sessions", "msg/s", "+")],
    "I4": [("held", "IDLE sessions held (of {I4_N_DOVECOT} / {I4_N})", "", "+"),
           ("rss_per_conn_kb", "RSS per IDLE session", "KB", "-"), ("pss_per_conn_kb", "PSS per IDLE session", "KB", "-"),
           ("notified", "sessions that heard the delivery", "", "+"),
           ("notify_p50_ms", "end of DATA to EXISTS, p50", "ms", "-"),
           ("notify_max_ms", "end of DATA to EXISTS, last session", "ms", "-"),
           ("open_seconds", "time to open, log in, select, IDLE all", "s", "-")],
    "I5": [("p50_ms", "end of DATA to EXISTS, p50", "ms", "-"), ("p99_ms", "end of DATA to EXISTS, p99", "ms", "-"),
           ("smtp_p50_ms", "end of DATA to 250, p50", "ms", "-")],
}
COMMON = [("cpu_s", "server CPU time", "s", "-"), ("peak_rss_mb", "server peak RSS (sum)", "MB", "-"),
          ("peak_pss_mb", "server peak PSS (sum)", "MB", "-")]
TITLES = {"S1": "S1 inbound to Maildir", "S2": "S2 relay to smtp-sink", "S3": "S3 single-session latency",
          "S4-1MB": "S4 1 MB messages", "S4-10MB": "S4 10 MB messages", "S5": "S5 idle sessions",
          "S6": "S6 STARTTLS+AUTH", "S7": "S7 relay, DKIM-signed",
          "W1": "W1 cold start, warm-up", "S8": "S8 SPF+DKIM+DMARC checks", "S9": "S9 rspamd milter",
          "I1": "I1 FETCH FLAGS + 4 header fields",
          "I2": "I2 SELECT + SEARCH", "I3": "I3 APPEND, durable", "I4": "I4 IDLE sessions", "I5": "I5 SMTP to IDLE"}


def peer(scen):
    return "dovecot" if scen.startswith("I") else "postfix"


def load(path):
    values = defaultdict(list)  # (scenario, server, key) -> [values]
    texts = defaultdict(list)   # (scenario, server, "error"|"note") -> [texts]
    order = []
    with open(path) as f:
        for line in f:
            scen, server, _round, key, value = line.rstrip("\n").split("\t", 4)
            if scen not in order:
                order.append(scen)
            if key in ("error", "note"):
                texts[(scen, server, key)].append(value)
            else:
                values[(scen, server, key)].append(float(value))
    return order, values, texts


def fmt(v):
    if v is None:
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


def rows(order, values, texts, params):
    out = []
    for scen in order:
        for key, label, unit, direction in METRICS.get(scen, []) + COMMON:
            cell = {}
            servers = (peer(scen), "postwerk")
            for server in servers:
                v = values.get((scen, server, key))
                failed = texts.get((scen, server, "error"))
                cell[server] = None if failed or not v else statistics.median(v)
            if all(cell[s] is None for s in servers) and key in dict((k, 0) for k, *_ in COMMON):
                continue
            p = cell[peer(scen)]
            ratio = (cell["postwerk"] / p) if p and cell["postwerk"] is not None else None
            out.append({"scenario": scen, "metric": label.format(**params), "key": key, "unit": unit,
                        "better": "higher" if direction == "+" else "lower", "peer_name": peer(scen), "peer": p,
                        "postwerk": cell["postwerk"], "ratio": ratio})
        if not METRICS.get(scen) and all(texts.get((scen, s, "error")) for s in (peer(scen), "postwerk")):
            out.append({"scenario": scen, "metric": "n/a", "key": "", "unit": "", "better": "",
                        "peer_name": peer(scen), "peer": None, "postwerk": None, "ratio": None})
    return out


def markdown(table, texts, machine, params):
    m = machine
    lines = [f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, Linux {m['kernel']}; "
             f"Postfix {m['postfix']}; Dovecot {m.get('dovecot', '?')}; {m['java']}.",
             f"Medians of {params['rounds']} round(s), the peer (Postfix for S*, Dovecot for I*) and Postwerk "
             "alternating; ratio = Postwerk / peer (arrow: which way is better)."]
    last = None
    for r in table:
        if last is None or peer(r["scenario"]) != peer(last):
            lines += ["", f"| Scenario | Metric | {r['peer_name'].capitalize()} | Postwerk | Ratio |", "|---|---|---:|---:|---:|"]
        title = TITLES.get(r["scenario"], r["scenario"]) if r["scenario"] != last else ""
        last = r["scenario"]
        arrow = {"higher": " ↑", "lower": " ↓"}.get(r["better"], "")
        unit = f" ({r['unit']})" if r["unit"] else ""
        ratio = (f"{r['ratio']:.2f}x" if r["ratio"] >= 0.1 else f"{r['ratio']:.2g}x") if r["ratio"] is not None else "–"
        lines.append(f"| {title} | {r['metric']}{unit}{arrow} | {fmt(r['peer'])} | {fmt(r['postwerk'])} | {ratio} |")
    notes = [f"- {scen} {server}: {'; '.join(dict.fromkeys(t))}" for (scen, server, _), t in texts.items()]
    if notes:
        lines += ["", "Notes (n/a cells and anything unusual):"] + notes
    return "\n".join(lines) + "\n"


def main():
    results, machine_path, params_path, prefix = sys.argv[1:5]
    with open(machine_path) as f:
        machine = json.load(f)
    with open(params_path) as f:
        params = json.load(f)
    order, values, texts = load(results)
    table = rows(order, values, texts, params)
    with open(prefix + ".md", "w") as f:
        f.write(markdown(table, texts, machine, params))
    raw = [{"scenario": k[0], "server": k[1], "key": k[2], "values": v} for k, v in values.items()]
    notes = [{"scenario": k[0], "server": k[1], "kind": k[2], "texts": v} for k, v in texts.items()]
    with open(prefix + ".json", "w") as f:
        json.dump({"machine": machine, "params": params, "table": table, "rounds": raw, "notes": notes}, f, indent=1)


if __name__ == "__main__":
    main()
