"""Clean a JSON Lines corpus with cruftless as a stage of a Spark job.

Each partition's records are piped through `cruftless clean --jsonl -`
(`RDD.pipe`): cruftless reads records on stdin and writes them back in the
same order, the text field cleaned and every other field byte for byte, so
the output partitions line up with the input partitions record for record.

    python examples/spark/clean_jsonl.py corpus.jsonl cleaned/ \
        --cruftless target/release/cruftless --partitions 4

The cruftless binary must exist at the same path on every executor (here:
local mode). A non-zero exit of cruftless (a bad rule pack, an invalid
record) fails the Spark task, so problems are never silent; the records
cruftless could not parse are named on the task's stderr with their line.
"""

import argparse
import shlex

from pyspark.sql import SparkSession


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="JSON Lines file or folder (also .gz)")
    parser.add_argument("output", help="folder to write part-* files to")
    parser.add_argument("--cruftless", default="cruftless", help="path to the binary")
    parser.add_argument("--field", default="text", help="field holding the text")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    spark = (
        SparkSession.builder.master(args.master)
        .appName("cruftless-clean")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    sc = spark.sparkContext
    sc.setLogLevel("WARN")
    # One thread per cruftless process: Spark already runs a task per core.
    command = [args.cruftless, "clean", "--jsonl", "-", "--field", args.field, "-q", "-j", "1"]
    records = sc.textFile(args.input, minPartitions=args.partitions)
    # checkCode: a non-zero exit of cruftless fails the task instead of passing silently
    cleaned = records.pipe(shlex.join(command), checkCode=True)
    cleaned.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
