#!/usr/bin/env bash
# fuzz-run.sh - run one libFuzzer target for a given time on its seeds.
#
# usage: fuzz-run.sh FUZZ_DIR NAME SECONDS [SEED...]
# Each SEED is a directory (its files are seeds as they are) or a file (its first 64 KiB are a
# seed: instrument files run to megabytes, and a prefix keeps an execution in milliseconds while
# still covering the header and the first rows). The seeds are copied to FUZZ_DIR/seeds/NAME
# (read-only for the fuzzer); what the fuzzer finds goes to FUZZ_DIR/corpus/NAME, which a later
# run continues from. A crash leaves its input as FUZZ_DIR/crash-* and fails the script.
set -euo pipefail
dir=$1 name=$2 secs=$3
shift 3
seeds="$dir/seeds/$name"
rm -rf "$seeds"
mkdir -p "$seeds" "$dir/corpus/$name"
for s in "$@"; do
    if [ -d "$s" ]; then
        cp -r "$s"/. "$seeds"/
    elif [ -f "$s" ]; then
        head -c 65536 "$s" >"$seeds/$(basename "$s")"
    fi
done
echo "== $name ($secs s, $(find "$seeds" -type f | wc -l) seeds)"
"$dir/$name" -max_total_time="$secs" -timeout=10 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$dir/" "$dir/corpus/$name" "$seeds" 2>"$dir/$name.log" ||
    {
        tail -n 40 "$dir/$name.log" >&2
        echo "fuzz-run.sh: $name failed; its input is in $dir/ (crash-*, leak-*, timeout-*)" >&2
        exit 1
    }
echo "$name: $(grep -E "^Done" "$dir/$name.log")"
