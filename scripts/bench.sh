#!/usr/bin/env bash
# Times cruftless side by side with what a user would do instead, on one
# generated corpus in tmpfs, and prints medians, ratios to the first row
# (`cp -r` of the corpus, or `cp` of its stream with --jsonl), CPU time and
# peak memory as a Markdown table.
#
#   scripts/bench.sh [--mb N] [--quick] [--runs N] [--grep-runs N] [--no-grep]
#                    [--jsonl] [--dir CORPUS] [--out OUT] [--bin CRUFTLESS]
#
#   --mb N         corpus size in MiB (default 200)
#   --quick        --mb 20 --runs 3
#   --jsonl        the corpus as one JSON Lines stream (CORPUS.jsonl, one
#                  record per page: `url` https://SITE/PAGE, `text`), timed
#                  against `cp` of the stream and the Python filter's JSON
#                  Lines mode (parse, filter the text, write back)
#   --runs N       timed runs per command (default 5)
#   --grep-runs N  timed runs of the (slow) grep loop (default 1)
#   --no-grep      skip the grep loop
#   --dir CORPUS   corpus folder (default /dev/shm/cruftless-bench-<N>mb);
#                  built once, reused while its stamp file says it is complete
#   --out OUT      output folder, removed before every run (default /dev/shm/cruftless-bench-out)
#   --bin PATH     the cruftless binary (default: cargo build --release, target/release/cruftless)
#
# Beside them, the least a parallel Rust line filter does (examples/floor.rs:
# walk, read, one aho-corasick pass for the same literals, write; built with
# cargo, the row is left out without it), which tells what of cruftless's
# time is reading and writing on this machine.
# The corpus comes from ../shared/bench/make_corpus.py when the repository
# sits beside a `shared` folder, otherwise from scripts/make_corpus.py (the
# seeds/ pages varied). The commands take turns, round after round (see
# "timing" below). Timing uses hyperfine when installed, else
# /usr/bin/time; peak memory always comes from
# GNU time on every run (maximum resident set size of the command and its
# children). Needs bash, python3, GNU time, grep, find, xargs.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
MB=200
RUNS=5
GREP_RUNS=1
GREP=1
JSONL=0
DIR=
OUT=/dev/shm/cruftless-bench-out
BIN=
while [ $# -gt 0 ]; do
    case "$1" in
        --mb) MB=$2; shift 2 ;;
        --quick) MB=20; RUNS=3; shift ;;
        --runs) RUNS=$2; shift 2 ;;
        --grep-runs) GREP_RUNS=$2; shift 2 ;;
        --no-grep) GREP=0; shift ;;
        --jsonl) JSONL=1; shift ;;
        --dir) DIR=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --bin) BIN=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
DIR=${DIR:-/dev/shm/cruftless-bench-${MB}mb}
# without trailing slashes: the stamp and the stream go beside the corpus, not in it
while [ "${DIR%/}" != "$DIR" ] && [ "$DIR" != / ]; do DIR=${DIR%/}; done

if [ -z "$BIN" ]; then
    (cd "$REPO" && cargo build --release --quiet)
    BIN=$REPO/target/release/cruftless
fi
FLOOR=
if [ "$JSONL" = 0 ] && command -v cargo > /dev/null; then
    (cd "$REPO" && cargo build --release --quiet --example floor)
    FLOOR=$REPO/target/release/examples/floor
fi
[ -x /usr/bin/time ] || { echo "bench.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

# --- the corpus -------------------------------------------------------------
STAMP="$DIR.stamp"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$MB" ]; then
    rm -rf "$DIR" "$STAMP"
    if [ -f "$REPO/../shared/bench/make_corpus.py" ]; then
        python3 "$REPO/../shared/bench/make_corpus.py" "$DIR" --mb "$MB" >&2
    else
        python3 "$REPO/scripts/make_corpus.py" "$DIR" --mb "$MB" >&2
    fi
    echo "$MB" > "$STAMP"
fi
FILES=$(find "$DIR" -type f | wc -l)
BYTES=$(du -sb "$DIR" | cut -f1)
STREAM="$DIR.jsonl"
if [ "$JSONL" = 1 ] && { [ ! -f "$STREAM" ] || [ "$STREAM" -ot "$STAMP" ]; }; then
    python3 - "$DIR" "$STREAM" <<'PY'
import json, os, sys
src, out = sys.argv[1:3]
with open(out + ".part", "w", encoding="utf-8") as fout:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            path = os.path.join(root, f)
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", "replace")
            url = "https://" + os.path.relpath(path, src)
            fout.write(json.dumps({"url": url, "text": text}, ensure_ascii=False) + "\n")
os.replace(out + ".part", out)
PY
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$OUT"' EXIT
# The same literal lines for grep and the Python filter: common cruft lines
# that the built-in packs also remove.
cat > "$WORK/patterns" <<'PATTERNS'
Have you registered with us yet?
Sign in
Follow Us:
comments powered by Disqus
Ads by Google
Advertisement
Sponsored
Just published
Related articles
Most read
PATTERNS
# ... and as a cruftless rule pack, for a run with the baselines' work only
{
    printf '[pack]\nname = "ten-literals"\ndescription = "The lines the grep and Python baselines drop"\n\n'
    printf '[[rule]]\nid = "ten-literals"\nkind = "line"\nwhy = "What the baselines drop"\nmatch = { any = [\n'
    sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/  { line = "&" },/' "$WORK/patterns"
    printf ']}\n'
} > "$WORK/ten.toml"

# --- the commands -----------------------------------------------------------
NAMES=()
CMDS=()
add() { NAMES+=("$1"); CMDS+=("$2"); }
TEN="--no-builtin --no-config --no-tidy --rules '$WORK/ten.toml'"
if [ "$JSONL" = 1 ]; then
    # the same pages as one stream; the first row is what the ratios divide by
    add "cp" "cp '$STREAM' '$OUT'"
    add "cruftless clean --jsonl" "'$BIN' clean --jsonl '$STREAM' -o '$OUT' -q"
    add "cruftless clean --jsonl, the ten literals only" "'$BIN' clean --jsonl '$STREAM' -o '$OUT' -q $TEN"
    add "cruftless clean --jsonl --repeated --group-field url" "'$BIN' clean --jsonl '$STREAM' -o '$OUT' -q --repeated --group-field url"
    add "python json + set filter" "python3 '$REPO/scripts/py_filter.py' --jsonl '$WORK/patterns' '$STREAM' '$OUT'"
    GREP=0
else
    add "cp -r" "cp -r '$DIR' '$OUT'"
    if [ -n "$FLOOR" ]; then
        add "rust floor (examples/floor.rs)" "'$FLOOR' '$WORK/patterns' '$DIR' '$OUT'"
    fi
    add "cruftless clean" "'$BIN' clean '$DIR' -o '$OUT' -q"
    add "cruftless clean, the ten literals only" "'$BIN' clean '$DIR' -o '$OUT' -q $TEN"
    if "$BIN" clean --help 2>/dev/null | grep -q -- '--repeated'; then
        add "cruftless clean --repeated" "'$BIN' clean '$DIR' -o '$OUT' -q --repeated"
    fi
    if "$BIN" --help 2>/dev/null | grep -qE '^ +check( |$)'; then
        # exit 1 (cruft found) is an answer, not a failure
        add "cruftless check" "'$BIN' check '$DIR' > /dev/null; [ \$? -le 1 ]"
    fi
    add "python set filter" "python3 '$REPO/scripts/py_filter.py' '$WORK/patterns' '$DIR' '$OUT'"
    if [ "$GREP" = 1 ]; then
        add "grep -vxFf loop (xargs -P2)" "mkdir -p '$OUT' && cd '$DIR' && find . -type d -print0 | (cd '$OUT' && xargs -0 mkdir -p) && find . -type f -print0 | xargs -0 -n 100 -P2 sh -c 'for f; do grep -vxFf \"$WORK/patterns\" \"\$f\" > \"$OUT/\$f\"; done; exit 0' sh"
    fi
fi

echo "corpus: $([ "$JSONL" = 1 ] && echo "$STREAM, one record per file of ")$DIR ($FILES files, $((BYTES / 1048576)) MiB); machine: $(nproc) cores, $(uname -m); $(date -u +%FT%TZ)" >&2
# --- timing -----------------------------------------------------------------
# Rounds: an untimed warm-up round, then RUNS rounds, each running every
# command once in turn, so that a slower minute of a shared machine slows
# every row alike instead of one (the grep loop takes part in its first
# GREP_RUNS rounds only, with no warm-up). Each command runs as a script under
# GNU time, which records its peak memory (and its children's) on every run;
# hyperfine (or GNU time again) times it.
for i in "${!CMDS[@]}"; do
    printf '%s\n' "${CMDS[$i]}" > "$WORK/c$i.sh"
done
time_one() { # command index, file for the times (empty: warm-up)
    local run="/usr/bin/time -a -o $WORK/m$1.txt -f %M sh $WORK/c$1.sh"
    if [ -z "$2" ]; then
        rm -rf "$OUT"
        $run > /dev/null
    elif command -v hyperfine > /dev/null; then
        hyperfine --style none --runs 1 --prepare "rm -rf $OUT" \
            --export-json "$2.json" --command-name "${NAMES[$1]}" "$run" > /dev/null 2>&1
    else
        # wall time to the microsecond (GNU time's %e is in hundredths: `cp`
        # of one stream can take 0.00 s), CPU time from GNU time
        rm -rf "$OUT"
        local start end
        start=$(date +%s.%N)
        /usr/bin/time -o "$2.cpu" -f '%U %S' $run > /dev/null
        end=$(date +%s.%N)
        echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f", b - a }') $(cat "$2.cpu")" > "$2.txt"
        rm -f "$2.cpu"
    fi
    rm -rf "$OUT"
}
for round in $(seq 0 "$RUNS"); do
    echo "timing: round $round of $RUNS$([ "$round" = 0 ] && echo ' (warm-up)')" >&2
    for i in "${!CMDS[@]}"; do
        case "${NAMES[$i]}" in
            grep*) if [ "$round" = 0 ] || [ "$round" -gt "$GREP_RUNS" ]; then continue; fi ;;
        esac
        time_one "$i" "$([ "$round" = 0 ] || echo "$WORK/t$i-$round")"
    done
done

# --- the table ----------------------------------------------------------------
python3 - "$WORK" "${NAMES[@]}" <<'PY'
import json, os, statistics, sys
work, names = sys.argv[1], sys.argv[2:]
rows = []
for i, name in enumerate(names):
    runs = []  # (wall, user, system) of each timed round
    for f in sorted(os.listdir(work)):
        if not f.startswith(f"t{i}-"):
            continue
        path = os.path.join(work, f)
        if f.endswith(".json"):
            r = json.load(open(path))["results"][0]
            runs.append((r["times"][0], r["user"], r["system"]))
        else:
            runs.append(tuple(map(float, open(path).read().split())))
    wall, user, sys_ = (statistics.median(x[k] for x in runs) for k in range(3))
    rss = max(int(l) for l in open(os.path.join(work, f"m{i}.txt")) if l.strip().isdigit()) / 1024
    rows.append((name, wall, user, sys_, rss))
cp = rows[0][1]
print(f"| command | median wall | × `{rows[0][0]}` | user CPU | system CPU | peak RSS |")
print("|---|---:|---:|---:|---:|---:|")
for name, wall, user, sys_, rss in rows:
    ratio = f"{wall / cp:.2f} ×" if cp > 0 else "–"
    print(f"| {name} | {wall:.3f} s | {ratio} | {user:.3f} s | {sys_:.3f} s | {rss:.0f} MiB |")
PY
