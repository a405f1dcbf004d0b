#!/usr/bin/env python3
"""The baseline of scripts/bench.sh: a set-lookup line filter, as datatrove-
and C4-style pipelines do per line, single process.

  py_filter.py PATTERNS SRC_DIR OUT_DIR
  py_filter.py --jsonl PATTERNS SRC.jsonl OUT.jsonl

Drops every line of every file under SRC_DIR that equals (without its line
ending) a line of PATTERNS, the way `grep -vxFf PATTERNS` does, and writes
the rest to the same relative path under OUT_DIR. With --jsonl, does the
same to the `text` field of each record of a JSON Lines file, as a corpus
pipeline does: parse the record, filter its text, write it back.
"""
import json
import os
import sys


def load(patterns):
    with open(patterns, "rb") as fh:
        return {l for l in fh.read().split(b"\n") if l}


def filter_tree(drop, src, out):
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


def filter_jsonl(drop, src, out):
    drop = {l.decode("utf-8", "replace") for l in drop}
    with open(src, encoding="utf-8") as fin, open(out, "w", encoding="utf-8") as fout:
        for line in fin:
            if not line.strip():
                fout.write(line)
                continue
            record = json.loads(line)
            lines = record["text"].split("\n")
            record["text"] = "\n".join(l for l in lines if l.rstrip("\r") not in drop)
            fout.write(json.dumps(record, ensure_ascii=False) + "\n")


def main():
    args = sys.argv[1:]
    if args[0] == "--jsonl":
        patterns, src, out = args[1:4]
        filter_jsonl(load(patterns), src, out)
    else:
        patterns, src, out = args[0:3]
        filter_tree(load(patterns), src, out)


if __name__ == "__main__":
    main()
