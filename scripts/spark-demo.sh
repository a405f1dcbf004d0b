#!/usr/bin/env bash
# Runs examples/spark/clean_jsonl.py in Spark local mode on a JSON Lines
# corpus made from the seed pages, and checks that the Spark output equals
# single-machine `cruftless clean --jsonl` output, record for record.
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

# a corpus: the seed pages as records, repeated, with other fields around the text
"$venv/bin/python" - "$records" "$work/corpus.jsonl" <<'PY'
import json, os, sys
n, out = int(sys.argv[1]), sys.argv[2]
seeds = sorted(os.listdir("seeds"))
texts = [open(os.path.join("seeds", s), encoding="utf-8").read() for s in seeds]
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        record = {"id": i, "url": f"https://site{i % 7}.example/{i}", "text": texts[i % len(texts)],
                  "meta": {"lang": "en", "score": 0.5 + i % 3}}
        f.write(json.dumps(record, ensure_ascii=i % 2 == 0) + "\n")
PY

"$bin" clean --jsonl "$work/corpus.jsonl" -q > "$work/single.jsonl"
start=$(date +%s)
"$venv/bin/python" examples/spark/clean_jsonl.py "$work/corpus.jsonl" "$work/spark-out" \
    --cruftless "$bin" --partitions 4
end=$(date +%s)
cat "$work"/spark-out/part-* > "$work/spark.jsonl"

if cmp -s "$work/single.jsonl" "$work/spark.jsonl"; then
    echo "spark-demo: OK: $(wc -l < "$work/spark.jsonl") records, Spark output equals single-machine clean --jsonl byte for byte ($((end - start)) s in Spark)"
else
    echo "spark-demo: FAILED: Spark output differs from single-machine clean --jsonl" >&2
    diff <(head -c 2000 "$work/single.jsonl") <(head -c 2000 "$work/spark.jsonl") >&2 || true
    exit 1
fi
