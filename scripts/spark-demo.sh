#!/usr/bin/env bash
# Runs the Spark examples in local mode on a JSON Lines corpus made from the
# seed pages (records of seven sites, told apart by their `url`) and checks
# them against cruftless on one machine:
# 1. examples/spark/clean_jsonl.py: Spark output == `clean --jsonl`, byte for byte;
# 2. examples/spark/learn_jsonl.py: counts per partition merged ==
#    `learn --jsonl --group-field url --save-counts` of the whole, byte for byte;
# 3. clean_jsonl.py --counts merged.json: Spark output ==
#    `clean --jsonl --repeated --group-field url`, byte for byte.
#
# Needs Java 17 and python3; installs pyspark into a venv (a large download),
# so it is not part of .ci/run. Usage: scripts/spark-demo.sh [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-20000}
venv=${SPARK_VENV:-target/spark-venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# keep Spark on the loopback interface
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

command -v java >/dev/null || { echo "spark-demo: java (17) is required" >&2; exit 2; }
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyspark
fi
cargo build --release --quiet
bin=$PWD/target/release/cruftless

# a corpus: the seed pages as records of seven sites, each with a headline of
# its own (in words: lines that differ only in digits count as one), with
# other fields around the text
"$venv/bin/python" - "$records" "$work/corpus.jsonl" <<'PY'
import json, os, sys
n, out = int(sys.argv[1]), sys.argv[2]
seeds = sorted(os.listdir("seeds"))
texts = [open(os.path.join("seeds", s), encoding="utf-8").read() for s in seeds]
words = "zero one two three four five six seven eight nine".split()
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        headline = "Report " + " ".join(words[int(d)] for d in str(i))
        record = {"id": i, "url": f"https://site{i % 7}.example/{i}",
                  "text": headline + "\n\n" + texts[i % len(texts)],
                  "meta": {"lang": "en", "score": 0.5 + i % 3}}
        f.write(json.dumps(record, ensure_ascii=i % 2 == 0) + "\n")
PY

"$bin" clean --jsonl "$work/corpus.jsonl" -q > "$work/single.jsonl"
start=$(date +%s)
"$venv/bin/python" examples/spark/clean_jsonl.py "$work/corpus.jsonl" "$work/spark-out" \
    --cruftless "$bin" --partitions 4
end=$(date +%s)
cat "$work"/spark-out/part-* > "$work/spark.jsonl"

# same: the two files are byte-equal, else say which step failed and exit 1
same() {
    if cmp -s "$1" "$2"; then
        echo "spark-demo: OK: $3"
    else
        echo "spark-demo: FAILED: $3: $1 and $2 differ" >&2
        diff <(head -c 2000 "$1") <(head -c 2000 "$2") >&2 || true
        exit 1
    fi
}
same "$work/single.jsonl" "$work/spark.jsonl" \
    "$(wc -l < "$work/spark.jsonl") records, Spark clean equals single-machine clean --jsonl ($((end - start)) s in Spark)"

# map-reduce counts: per partition, merged, against the counts of the whole
"$bin" learn --jsonl "$work/corpus.jsonl" --group-field url --fold-digits -q \
    --save-counts "$work/single-counts.json" > /dev/null
start=$(date +%s)
"$venv/bin/python" examples/spark/learn_jsonl.py "$work/corpus.jsonl" "$work/counts" \
    --cruftless "$bin" --partitions 4
end=$(date +%s)
same "$work/single-counts.json" "$work/counts/merged.json" \
    "$(ls "$work"/counts/part-*.json | wc -l) partitions' counts merged equal learn --jsonl --save-counts of the whole ($((end - start)) s in Spark)"

# and cleaning with them drops what each site repeats, as on one machine
"$bin" clean --jsonl "$work/corpus.jsonl" --repeated --group-field url -q > "$work/single-repeated.jsonl"
"$venv/bin/python" examples/spark/clean_jsonl.py "$work/corpus.jsonl" "$work/spark-repeated" \
    --cruftless "$bin" --partitions 4 --counts "$work/counts/merged.json"
cat "$work"/spark-repeated/part-* > "$work/spark-repeated.jsonl"
cmp -s "$work/corpus.jsonl" "$work/spark-repeated.jsonl" && { echo "spark-demo: FAILED: --repeated removed nothing" >&2; exit 1; }
same "$work/single-repeated.jsonl" "$work/spark-repeated.jsonl" \
    "Spark clean --repeated with the merged counts equals single-machine clean --jsonl --repeated"
