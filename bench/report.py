"""Turns bench/run's per-round records into the results table: medians per server, ratio Postwerk/Postfix.

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
}
COMMON = [("cpu_s", "server CPU time", "s", "-"), ("peak_rss_mb", "server peak RSS (sum)", "MB", "-"),
          ("peak_pss_mb", "server peak PSS (sum)", "MB", "-")]
TITLES = {"S1": "S1 inbound to Maildir", "S2": "S2 relay to smtp-sink", "S3": "S3 single-session latency",
          "S4-1MB": "S4 1 MB messages", "S4-10MB": "S4 10 MB messages", "S5": "S5 idle sessions",
          "S6": "S6 STARTTLS+AUTH", "S7": "S7 relay, DKIM-signed"}
SERVERS = ("postfix", "postwerk")


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
            for server in SERVERS:
                v = values.get((scen, server, key))
                failed = texts.get((scen, server, "error"))
                cell[server] = None if failed or not v else statistics.median(v)
            if all(cell[s] is None for s in SERVERS) and key in dict((k, 0) for k, *_ in COMMON):
                continue
            ratio = (cell["postwerk"] / cell["postfix"]) if cell["postfix"] and cell["postwerk"] is not None else None
            out.append({"scenario": scen, "metric": label.format(**params), "key": key, "unit": unit,
                        "better": "higher" if direction == "+" else "lower", **cell, "ratio": ratio})
        if not METRICS.get(scen) and all(texts.get((scen, s, "error")) for s in SERVERS):
            out.append({"scenario": scen, "metric": "n/a", "key": "", "unit": "", "better": "",
                        "postfix": None, "postwerk": None, "ratio": None})
    return out


def markdown(table, texts, machine, params):
    m = machine
    lines = [f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, Linux {m['kernel']}; "
             f"Postfix {m['postfix']}; {m['java']}.",
             f"Medians of {params['rounds']} round(s), Postfix and Postwerk alternating; ratio = Postwerk / Postfix "
             "(arrow: which way is better).", "",
             "| Scenario | Metric | Postfix | Postwerk | Ratio |", "|---|---|---:|---:|---:|"]
    last = None
    for r in table:
        title = TITLES.get(r["scenario"], r["scenario"]) if r["scenario"] != last else ""
        last = r["scenario"]
        arrow = {"higher": " ↑", "lower": " ↓"}.get(r["better"], "")
        unit = f" ({r['unit']})" if r["unit"] else ""
        ratio = (f"{r['ratio']:.2f}x" if r["ratio"] >= 0.1 else f"{r['ratio']:.2g}x") if r["ratio"] is not None else "–"
        lines.append(f"| {title} | {r['metric']}{unit}{arrow} | {fmt(r['postfix'])} | {fmt(r['postwerk'])} | {ratio} |")
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
