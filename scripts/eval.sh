#!/usr/bin/env bash
# Cleans the eval dev set with the recommended configuration (built-in packs +
# --repeated) and prints score.py's summary. Needs ../shared/eval (next to the
# repository's parent folder) and python3; exits 0 with a message without it.
#
#   scripts/eval.sh                    # recommended configuration
#   scripts/eval.sh --no-repeated      # built-in packs only
#   scripts/eval.sh -- --worst 20      # extra arguments after -- go to score.py
#   CRUFTLESS=target/debug/cruftless scripts/eval.sh   # use an existing binary
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$root/../shared/eval}
if [[ ! -d $eval_dir/dev ]]; then
    echo "eval set not found at $eval_dir: nothing to evaluate"
    exit 0
fi
flags=(--repeated)
score_args=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --no-repeated) flags=() ;;
        --) shift; score_args=("$@"); break ;;
        *) flags+=("$1") ;;
    esac
    shift
done
bin=${CRUFTLESS:-}
if [[ -z $bin ]]; then
    (cd "$root" && cargo build --release --quiet)
    bin=$root/target/release/cruftless
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bin" clean "$eval_dir/dev" -o "$out/dev" --no-config --quiet ${flags[@]+"${flags[@]}"}
python3 "$eval_dir/score.py" "$out/dev" ${score_args[@]+"${score_args[@]}"}
