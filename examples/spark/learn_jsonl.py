"""Count what each site repeats in a JSON Lines corpus with cruftless in Spark,
map-reduce style: one counts file per partition, merged into the counts of
the whole corpus.

Map: each partition's records are streamed into
`cruftless learn --jsonl - --group-field url --save-counts FILE`, which
counts, per site (the host of each record's `url`), how many records hold
each line: 64-bit fingerprints and counts, never text. Reduce: the driver
collects the counts files in partition order and merges them with
`cruftless learn --merge`. Counts of records merge in input order, so the
merged file is byte for byte the one `learn --jsonl --save-counts` writes for
the whole corpus on one machine.

    python examples/spark/learn_jsonl.py corpus.jsonl counts/ \
        --cruftless target/release/cruftless --partitions 4

writes counts/part-NNNNN.json and counts/merged.json. Then clean with them:

    python examples/spark/clean_jsonl.py corpus.jsonl cleaned/ \
        --cruftless target/release/cruftless --counts counts/merged.json

Counts travel back to the driver as the partitions' results, so executors
need no shared storage; the cruftless binary must exist at the same path on
every executor (here: local mode). An invalid record makes cruftless exit
with 2, which fails the task: problems are never silent.
"""

import argparse
import os
import subprocess
import tempfile

from pyspark.sql import SparkSession


def count_partition(cruftless, group_field, text_field):
    """The map step: a function of (partition index, lines) that yields one
    (index, counts file bytes) pair."""

    def count(index, lines):
        with tempfile.TemporaryDirectory() as tmp:
            counts = os.path.join(tmp, "counts.json")
            # -j 1: Spark already runs one task per core. --fold-digits: the
            # counts `clean --repeated` wants (its rule folds digits).
            command = [cruftless, "learn", "--jsonl", "-", "--field", text_field,
                       "--group-field", group_field, "--fold-digits",
                       "--save-counts", counts, "-q", "-j", "1"]
            with tempfile.TemporaryFile() as stderr:
                proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=stderr)
                # records are streamed, never held: memory stays constant
                for line in lines:
                    proc.stdin.write(line.encode("utf-8") + b"\n")
                proc.stdin.close()
                if proc.wait() != 0:
                    stderr.seek(0)
                    raise RuntimeError(f"partition {index}: cruftless learn failed: "
                                       + stderr.read().decode("utf-8", "replace"))
            with open(counts, "rb") as f:
                yield index, f.read()

    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSON Lines file or folder (also .gz)")
    parser.add_argument("output", help="folder to write part-*.json and merged.json to")
    parser.add_argument("--cruftless", default="cruftless", help="path to the binary")
    parser.add_argument("--field", default="text", help="field holding the text")
    parser.add_argument("--group-field", default="url", help="field naming each record's site")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    spark = (
        SparkSession.builder.master(args.master)
        .appName("cruftless-learn")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    records = sc.textFile(args.input, minPartitions=args.partitions)
    counted = records.mapPartitionsWithIndex(
        count_partition(args.cruftless, args.group_field, args.field)).collect()
    spark.stop()

    # the reduce step, in partition (input) order
    os.makedirs(args.output, exist_ok=True)
    parts = []
    for index, counts in sorted(counted):
        path = os.path.join(args.output, f"part-{index:05d}.json")
        with open(path, "wb") as f:
            f.write(counts)
        parts.append(path)
    merged = os.path.join(args.output, "merged.json")
    subprocess.run([args.cruftless, "learn", "--merge", *parts, "--write", merged], check=True)
    print(f"merged the counts of {len(parts)} partitions into {merged}")


if __name__ == "__main__":
    main()
