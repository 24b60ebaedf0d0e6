#!/usr/bin/env bash
# test_run.sh - `lmb run`: the BDF time series of a short Li||Li run, and bad flags.
# Usage: test_run.sh LMB SOURCE_DIR
set -u
lmb=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# 2 cycles of 10 min half cycles at 1 mA/cm2 on 0.502 cm2: plate (I < 0) then strip (I > 0).
if ! "$lmb" run li-li:bare -o "$tmp/run" --cycles 2 --half-cycle 10 min --current 1 mA/cm2 \
    > "$tmp/stdout" 2> "$tmp/stderr"; then
    fail "lmb run exited non-zero: $(cat "$tmp/stderr")"
fi
csv=$tmp/run/timeseries.bdf.csv
[ -f "$csv" ] || fail "no $csv"
head -n 1 "$csv" | grep -qx 'Test Time / s,Voltage / V,Current / A,Step Count / 1,Cycle Count / 1' \
    || fail "BDF header: $(head -n 1 "$csv")"
# last row: 4 half cycles of 600 s end at 2400 s, step 4, cycle 2
last=$(tail -n 1 "$csv")
awk -F, '{ if ($1 < 2399.999999 || $1 > 2400.000001) exit 1 }' <<< "$last" || fail "end time: $last"
awk -F, '{ if ($4 != 4 || $5 != 2) exit 1 }' <<< "$last" || fail "step/cycle at the end: $last"
# currents are +-0.502 mA on every row after the first, plating first (negative)
awk -F, 'NR > 2 { a = $3 < 0 ? -$3 : $3; if (a < 0.000501999 || a > 0.000502001) bad = 1 }
         NR > 2 && $4 == 1 && $3 >= 0 { bad = 1 }
         NR > 2 && $4 == 2 && $3 <= 0 { bad = 1 }
         END { exit bad }' "$csv" || fail "currents or their signs"
# at the end of each half cycle (the double layers have long recharged): plating gives a
# negative voltage on the working electrode, stripping a positive one
awk -F, 'NR > 1 { v[$4] = $2 } END { exit !(v[1] < 0 && v[2] > 0 && v[3] < 0 && v[4] > 0) }' \
    "$csv" || fail "voltage signs at the ends of the half cycles"
grep -q "timeseries.bdf.csv" "$tmp/stdout" || fail "stdout does not say where the output is"

# bad flags: exit 2 and one line
check_usage() {
    local what=$1; shift
    "$lmb" run "$@" > /dev/null 2> "$tmp/err"
    local rc=$?
    [ "$rc" -eq 2 ] || fail "$what: exit $rc, expected 2"
    [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "$what: stderr is not one line: $(cat "$tmp/err")"
}
check_usage "unknown unit" li-li:bare --current 1 mA/furlong -o "$tmp/x"
check_usage "wrong dimension" li-li:bare --half-cycle 1 V -o "$tmp/x"
check_usage "negative current" li-li:bare --current -1 mA -o "$tmp/x"
check_usage "unknown option" li-li:bare --frobnicate
check_usage "missing cell" --cycles 2
check_usage "unknown preset" li-li:nonexistent -o "$tmp/x"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "test_run: all checks passed"
