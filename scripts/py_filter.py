#!/usr/bin/env python3
"""The baseline of scripts/bench.sh: a set-lookup line filter, as datatrove-
and C4-style pipelines do per line, single process.

  py_filter.py PATTERNS SRC_DIR OUT_DIR

Drops every line of every file under SRC_DIR that equals (without its line
ending) a line of PATTERNS, the way `grep -vxFf PATTERNS` does, and writes
the rest to the same relative path under OUT_DIR.
"""
import os
import sys


def main():
    patterns, src, out = sys.argv[1:4]
    with open(patterns, "rb") as fh:
        drop = {l for l in fh.read().split(b"\n") if l}
    for root, _, files in os.walk(src):
        rel = os.path.relpath(root, src)
        target = os.path.join(out, rel)
        os.makedirs(target, exist_ok=True)
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                lines = fh.read().split(b"\n")
            kept = [l for l in lines if l.rstrip(b"\r") not in drop]
            with open(os.path.join(target, f), "wb") as fh:
                fh.write(b"\n".join(kept))


if __name__ == "__main__":
    main()
