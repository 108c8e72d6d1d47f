"""CPU time and memory of a server's whole process tree, read from /proc (Linux only). ROOT_PID may list several
roots separated by commas (Postfix and its DKIM milter in S7): their trees are summed.

  procstat.py cpu ROOT_PID          CPU seconds used so far by the tree: utime+stime of every live process in it
                                    plus cutime+cstime (the children each one has already reaped), so Postfix's
                                    short-lived smtpd/cleanup/virtual processes are counted after they exit.
  procstat.py mem ROOT_PID          {"rss_kb": sum of VmRSS, "pss_kb": sum of Pss} over the tree, now.
  procstat.py pids ROOT_PID         the process ids of the tree, one a line (to kill leftovers by id).
  procstat.py sample ROOT_PID OUT   samples summed RSS and PSS every 0.25 s until OUT.stop exists (at most
                                    30 minutes), then writes the peaks in kB to OUT as "RSS PSS". PSS splits
                                    shared pages among the processes that share them: the fair sum for Postfix.
"""
import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        data = f.read()
    # The command name is in parentheses and may contain spaces: split after the last ')'.
    return data[data.rindex(")") + 2:].split()


def tree(roots):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                ppid = int(stat_fields(name)[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(name))
    pids, todo = [], [int(r) for r in str(roots).split(",") if r]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def cpu(root):
    total = 0
    for pid in tree(root):
        try:
            f = stat_fields(pid)
        except OSError:
            continue
        # fields after the name: state=0, ... utime=11, stime=12, cutime=13, cstime=14
        total += sum(int(f[i]) for i in (11, 12, 13, 14))
    return total / TICK


def status_kb(pid, key, path="status"):
    try:
        with open(f"/proc/{pid}/{path}") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    mode, root = sys.argv[1], sys.argv[2]
    if mode == "cpu":
        print(f"{cpu(root):.2f}")
    elif mode == "pids":
        print("\n".join(str(p) for p in tree(root)))
    elif mode == "mem":
        pids = tree(root)
        print(json.dumps({"rss_kb": sum(status_kb(p, "VmRSS:") for p in pids),
                          "pss_kb": sum(status_kb(p, "Pss:", "smaps_rollup") for p in pids)}))
    elif mode == "sample":
        out, peak_rss, peak_pss, deadline = sys.argv[3], 0, 0, time.monotonic() + 1800
        while not os.path.exists(out + ".stop") and time.monotonic() < deadline:
            pids = tree(root)
            peak_rss = max(peak_rss, sum(status_kb(p, "VmRSS:") for p in pids))
            peak_pss = max(peak_pss, sum(status_kb(p, "Pss:", "smaps_rollup") for p in pids))
            time.sleep(0.25)
        with open(out, "w") as f:
            f.write(f"{peak_rss} {peak_pss}\n")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
