#!/usr/bin/env bash
# test_run.sh - `lmb run CELL PROTOCOL`: the three output files of a short Li||Li run, the
# progress-free quiet mode, and bad arguments.
# Usage: test_run.sh LMB SOURCE_DIR
source "$(dirname "$0")/common.sh"

# 2 cycles of 10 min half cycles at 1 mA/cm2 on 0.502 cm2: plate (I < 0) then strip (I > 0).
cat > "$tmp/p.txt" <<'P'
Repeat 2 times:
    Plate at 1 mA/cm2 for 10 min
    Strip at 1 mA/cm2 for 10 minutes
P
if ! "$lmb" run li-li:bare "$tmp/p.txt" -o "$tmp/run" > "$tmp/stdout" 2> "$tmp/stderr"; then
    fail "lmb run exited non-zero: $(cat "$tmp/stderr")"
fi
csv=$tmp/run/timeseries.bdf.csv
[ -f "$csv" ] || fail "no $csv"
[ -f "$csv.tmp" ] && fail "temporary file left behind"
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
# cycles.csv: 2 cycles, 0.1667 mAh/cm2 each way (0.08367 mAh), CE 1
cyc=$tmp/run/cycles.csv
head -n 1 "$cyc" | grep -q '^cycle,charge_capacity_mAh,discharge_capacity_mAh,coulombic_efficiency,' \
    || fail "cycles.csv header: $(head -n 1 "$cyc")"
[ "$(wc -l < "$cyc")" -eq 3 ] || fail "cycles.csv should have 2 rows"
awk -F, 'NR > 1 { if ($2 < 0.083666 || $2 > 0.083667 || $3 < 0.083666 || $3 > 0.083667) bad = 1
                  if ($4 < 0.999999 || $4 > 1.000001) bad = 1 }
         END { exit bad }' "$cyc" || fail "capacities or CE in cycles.csv: $(cat "$cyc")"
grep -Eq '"cycles":[[:space:]]*\[' "$tmp/run/summary.json" || fail "summary.json has no cycles array"
grep -Eq '"end":[[:space:]]*"completed"' "$tmp/run/summary.json" || fail "summary.json: end"
for f in timeseries.bdf.csv cycles.csv summary.json; do
    grep -q "$f" "$tmp/stdout" || fail "stdout does not say where $f is"
done

# quiet: nothing on stdout
"$lmb" run li-li:bare "$tmp/p.txt" -o "$tmp/q" -q > "$tmp/stdout" 2>&1 || fail "quiet run failed"
[ -s "$tmp/stdout" ] && fail "quiet run printed: $(cat "$tmp/stdout")"

# bad arguments and inputs: exit 2 and one line
check_usage() {
    local what=$1; shift
    "$lmb" run "$@" > /dev/null 2> "$tmp/err"
    local rc=$?
    [ "$rc" -eq 2 ] || fail "$what: exit $rc, expected 2"
    [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "$what: stderr is not one line: $(cat "$tmp/err")"
}
printf 'Plate at 1 mA/furlong for 1 h\n' > "$tmp/bad.txt"
check_usage "bad protocol" li-li:bare "$tmp/bad.txt" -o "$tmp/x"
grep -q "bad.txt:1:" "$tmp/err" || fail "protocol error does not name file:line: $(cat "$tmp/err")"
check_usage "missing protocol file" li-li:bare "$tmp/nonexistent.txt" -o "$tmp/x"
check_usage "wrong dimension" li-li:bare "$tmp/p.txt" --nominal-capacity 1 V -o "$tmp/x"
check_usage "unknown option" li-li:bare "$tmp/p.txt" --frobnicate
check_usage "missing cell" 
check_usage "missing protocol" li-li:bare
check_usage "unknown preset" li-li:nonexistent "$tmp/p.txt" -o "$tmp/x"

# --sparse: the same run with the sparse solver ends at the same voltage (the two solvers use
# the same Jacobian entries and agree to ~1e-11 V; 1e-6 V leaves room for LU rounding)
if "$lmb" run li-li:bare "$tmp/p.txt" -o "$tmp/sparse" --sparse -q 2> "$tmp/err"; then
    a=$(tail -n 1 "$tmp/run/timeseries.bdf.csv" | cut -d, -f2)
    b=$(tail -n 1 "$tmp/sparse/timeseries.bdf.csv" | cut -d, -f2)
    awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; exit !(d < 1e-6 && d > -1e-6) }' ||
        fail "--sparse ends at $b V, the band solver at $a V"
else
    fail "--sparse: $(cat "$tmp/err")"
fi

# a Li||LFP cell discharged without a voltage limit: the step fails when the LFP is full, and the
# message says so and what to add (exit 1: a solver failure, the record so far is written)
printf 'Discharge at 1 mA/cm2 for 1 mAh/cm2\n' > "$tmp/nolimit.txt"
"$lmb" run li-lfp:bare "$tmp/nolimit.txt" -o "$tmp/nolimit" -q 2> "$tmp/err"
[ $? -eq 1 ] || fail "an LFP discharge past full must exit 1"
grep -q "nolimit.txt:1: .*the LFP particles are full at their surface.*until 2.5 V" "$tmp/err" ||
    fail "the failure must say the LFP is full: $(cat "$tmp/err")"
[ -s "$tmp/nolimit/timeseries.bdf.csv" ] || fail "the record up to the failure must be written"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "test_run: all checks passed"
