#!/usr/bin/env bash
# test_reproduce.sh - `lmb reproduce`: the calibration table of the Li||Li experiments against
# the study's measured values (every row within the issue's tolerance), the predictions run to
# their end without a solver failure, and bad arguments.
# Usage: test_reproduce.sh LMB SOURCE_DIR
source "$(dirname "$0")/common.sh"

if ! "$lmb" reproduce -o "$tmp/out" > "$tmp/stdout" 2> "$tmp/stderr"; then
    fail "lmb reproduce exited non-zero: $(cat "$tmp/stderr")"
fi
cat "$tmp/stdout"
csv=$tmp/out/comparison.csv
[ -f "$csv" ] || fail "no $csv"
[ -f "$tmp/out/comparison.json" ] || fail "no comparison.json"
head -n 1 "$csv" | grep -qx 'experiment,quantity,description,unit,measured,simulated,relative_error,within_tolerance,kind' \
    || fail "header: $(head -n 1 "$csv")"
# eleven calibration rows, every one within its tolerance (the issues' acceptance bounds) but
# the coated cell's Adams CE, which is not fitted yet (docs/calibration.md, "Li||Cu")
n=$(grep -c ',calibration$' "$csv")
[ "$n" -eq 11 ] || fail "$n calibration rows, expected 11"
grep ',calibration$' "$csv" | grep -v ',yes,calibration$' |
    grep -v '^li-cu-cspbcl3-2mg-adams-1,Adams CE' && fail "calibration rows out of tolerance"
grep -q '^li-cu-bare-adams-1,Adams CE (1 precondition),.*,yes,calibration$' "$csv" ||
    fail "no bare Adams CE within tolerance"
grep -q 'short within 600 h.* no$' "$tmp/stdout" || fail "the coated cell shorted"
# predictions: every experiment ran to its end without a solver failure
grep -q 'solver failure' "$tmp/stderr" && fail "a solver failure: $(cat "$tmp/stderr")"
# the operando R_SEI track: the arc shrinks as the first plating adds area
for a in bare cspbcl3-2mg; do
    # (the description is quoted and holds commas: take the number after the unit's column)
    r0=$(grep "^li-li-$a-operando-eis,operando R_SEI before cycling," "$csv" | sed 's/.*,ohm,,\([^,]*\),.*/\1/')
    r1=$(grep "^li-li-$a-operando-eis,operando R_SEI after 1st plating," "$csv" | sed 's/.*,ohm,,\([^,]*\),.*/\1/')
    awk -v a="$r0" -v b="$r1" 'BEGIN { exit !(a > 0 && b > 0 && b < a) }' ||
        fail "operando R_SEI of $a: before $r0, after the first plating $r1"
    [ -s "$tmp/out/li-li-$a-operando-eis/eis_cycling.csv" ] || fail "no operando spectra for $a"
done
grep -q '^li-cu-bare-adams-3,Adams CE,.*,%,,[0-9.]*,,,prediction$' "$csv" ||
    fail "no Adams CE predicted for 3 preconditioning cycles"
for e in bare-2mA cspbcl3-2mg-2mA bare-4mA cspbcl3-2mg-4mA cspbcl3-1mg-1mA cspbcl3-4mg-1mA; do
    grep -q "^li-li-$e,initial overpotential,.*,mV,,[0-9.]*,,,prediction$" "$csv" \
        || fail "no initial overpotential predicted for $e"
    [ -f "$tmp/out/li-li-$e/cycles.csv" ] || fail "no cycles.csv for $e"
done
# the measured values appear only in the measured column
awk -F, 'NR > 1 && $9 == "prediction" && $5 != "" { exit 1 }' "$csv" || fail "a prediction row has a measured value"

# bad input
"$lmb" reproduce --bare no-such.json -o "$tmp/x" > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "a missing cell file must exit 2"
grep -q 'no-such.json' "$tmp/err" || fail "the message must name the file: $(cat "$tmp/err")"
"$lmb" reproduce --frobnicate > /dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown option must exit 2"

[ "$fails" -eq 0 ] || exit 1
echo "test_reproduce: ok"
