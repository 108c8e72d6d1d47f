"""Waits, bounded, until N messages have arrived; prints the wall-clock time (epoch seconds) when they had.

  wait.py dir  DIR  N TIMEOUT_S    N files in a Maildir's new/ folder
  wait.py sink FILE N TIMEOUT_S    smtp-sink -c has counted N messages ("mesg=N" in its output FILE)

Polls every 20 ms. Exit status 1 (and the count reached, on stderr) when TIMEOUT_S passes first.
"""
import os
import re
import sys
import time


def count_dir(path):
    try:
        return len(os.listdir(path))
    except FileNotFoundError:
        return 0


def count_sink(path):
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 200))
            found = re.findall(rb"mesg=(\d+)", f.read())
    except FileNotFoundError:
        return 0
    return int(found[-1]) if found else 0


def main():
    mode, path, want, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    count = count_dir if mode == "dir" else count_sink
    deadline = time.monotonic() + timeout
    n = count(path)
    while n < want and time.monotonic() < deadline:
        time.sleep(0.02)
        n = count(path)
    if n < want:
        print(f"wait.py: only {n} of {want} after {timeout:.0f} s", file=sys.stderr)
        sys.exit(1)
    print(f"{time.time():.3f}")


if __name__ == "__main__":
    main()
