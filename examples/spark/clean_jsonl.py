"""Clean a JSON Lines corpus with cruftless as a stage of a Spark job.

Each partition's records are piped through `cruftless clean --jsonl -`
(`RDD.pipe`): cruftless reads records on stdin and writes them back in the
same order, the text field cleaned and every other field byte for byte, so
the output partitions line up with the input partitions record for record.

    python examples/spark/clean_jsonl.py corpus.jsonl cleaned/ \
        --cruftless target/release/cruftless --partitions 4

With `--counts FILE` (counts of the whole corpus, e.g. merged from the
partitions' counts by `examples/spark/learn_jsonl.py`), each partition is
cleaned with `--repeated --counts FILE` too: the lines each site repeats
across the whole corpus go, as with `clean --jsonl --repeated` on one machine.

The cruftless binary, and the counts file, must exist at the same path on
every executor (here: local mode). A non-zero exit of cruftless (a bad rule
pack, an invalid record) fails the Spark task, so problems are never silent;
the records cruftless could not parse are named on the task's stderr with
their line.
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
    parser.add_argument("--counts", help="counts of the whole corpus: also drop what each site repeats")
    parser.add_argument("--group-field", default="url", help="with --counts, the field naming each record's site")
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
    if args.counts:
        command += ["--repeated", "--group-field", args.group_field, "--counts", args.counts]
    records = sc.textFile(args.input, minPartitions=args.partitions)
    # checkCode: a non-zero exit of cruftless fails the task instead of passing silently
    cleaned = records.pipe(shlex.join(command), checkCode=True)
    cleaned.saveAsTextFile(args.output)
    spark.stop()


if __name__ == "__main__":
    main()
