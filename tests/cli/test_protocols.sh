#!/usr/bin/env bash
# test_protocols.sh - every protocol file of the study (protocols/*.txt) parses and runs on the
# Li||Li model (bare and coated presets) to its end, and writes its three outputs.
# Usage: test_protocols.sh LMB SOURCE_DIR
set -u
lmb=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0
for p in "$src"/protocols/*.txt; do
    name=$(basename "$p" .txt)
    for cell in li-li:bare li-li:cspbcl3-2mg; do
        out=$tmp/$name-${cell#li-li:}
        if ! "$lmb" run "$cell" "$p" -o "$out" -q 2> "$tmp/err"; then
            echo "FAIL: $name on $cell: $(cat "$tmp/err")"
            fails=$((fails + 1))
            continue
        fi
        for f in timeseries.bdf.csv cycles.csv summary.json; do
            [ -s "$out/$f" ] || { echo "FAIL: $name on $cell: no $f"; fails=$((fails + 1)); }
        done
        n=$((n + 1))
    done
done
[ "$n" -ge 18 ] || { echo "FAIL: only $n protocol runs (expected 9 files x 2 cells)"; fails=$((fails + 1)); }
if [ "$fails" -gt 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "test_protocols: $n runs completed"
