#!/usr/bin/env python3
"""Build a large, deterministic scraped-text corpus from the repo's seeds/.

The fallback corpus generator of scripts/bench.sh for clones without
../shared. Each page starts from a seed page (cruft included) with its long
article paragraphs reordered and partly replaced by paragraphs of the other
seeds, words shuffled, so pages differ while cruft stays; each site adds a
few lines of its own (a menu and a footer) on every page, as real sites do.

  make_corpus.py OUT_DIR [--mb 200] [--sites 50] [--seed 1]

Layout: OUT_DIR/site-NNN/page-NNNNNN.txt
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "..", "seeds")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=200)
    ap.add_argument("--sites", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    src = []
    for f in sorted(os.listdir(SEEDS)):
        if f.endswith(".txt"):
            with open(os.path.join(SEEDS, f), encoding="utf-8", errors="replace") as fh:
                src.append(fh.read())
    if not src:
        sys.exit("no seed pages found in " + SEEDS)
    paragraphs = [l for p in src for l in p.split("\n") if len(l) > 200]
    chrome = []
    for site in range(a.sites):
        menu = ["Home", "News", "Opinion", f"Section {site}", "About us", "Contact"]
        footer = [f"Copyright (c) 20{site % 30:02d} Site {site} Media Ltd", f"site{site}.example.com"]
        chrome.append((menu, footer))
    target = int(a.mb * 1024 * 1024)
    written = n = 0
    while written < target:
        site = n % a.sites
        base = src[(site * 7919 + n // a.sites) % len(src)].split("\n")
        body = [i for i, l in enumerate(base) if len(l) > 200]
        for i in body:
            if rng.random() < 0.7:
                words = rng.choice(paragraphs).split(" ")
                rng.shuffle(words)
                base[i] = " ".join(words)
        menu, footer = chrome[site]
        text = "\n".join(menu + [""] + base + [""] + footer) + "\n"
        d = os.path.join(a.out, f"site-{site:03d}")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, f"page-{n:06d}.txt"), "w", encoding="utf-8") as fh:
            fh.write(text)
        written += len(text.encode("utf-8"))
        n += 1
    print(f"{n} pages, {written / 1048576:.1f} MiB in {a.sites} sites -> {a.out}")


if __name__ == "__main__":
    main()
