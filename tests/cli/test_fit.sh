#!/usr/bin/env bash
# test_fit.sh - `lmb fit li-li` re-derives the presets: started from the shipped presets, the
# fast stage (--ocv-only: the OCV spectra and the first cycle, 6 parameters) returns each fitted
# value within 2 % of the preset's (the fit stops within 0.5 % of each measurement, and R_diff
# moves about one to one with the exchange current), writes both cell files with fitted_to
# annotations, and they load; bad arguments exit 2. (The full fit, 39 simulations, is `lmb fit li-li`.)
# Usage: test_fit.sh LMB SOURCE_DIR
source "$(dirname "$0")/common.sh"

if ! "$lmb" fit li-li --ocv-only -o "$tmp/fit" > "$tmp/stdout" 2> "$tmp/stderr"; then
    fail "lmb fit exited non-zero: $(cat "$tmp/stderr")"
fi
cat "$tmp/stdout"
for f in bare cspbcl3-2mg; do
    [ -s "$tmp/fit/$f.json" ] || fail "no $f.json"
    "$lmb" params check "$tmp/fit/$f.json" > /dev/null 2>&1 || fail "$f.json does not load"
    grep -q '"fitted_to"' "$tmp/fit/$f.json" || fail "$f.json has no fitted_to"
done
# value KEY CELL: the value column of `lmb params show`
value() { "$lmb" params show "$2" | awk -v k="$1" '$1 == k { print $2; exit }'; }
check() { # check KEY PRESET FILE
    local a b
    a=$(value "$1" "$2")
    b=$(value "$1" "$3")
    awk -v a="$a" -v b="$b" 'BEGIN { d = (b - a) / a; exit !(a != "" && d < 0.02 && d > -0.02) }' \
        || fail "$1: preset $a, re-derived $b"
}
for k in negative.sei_resistivity negative.exchange_current negative.pit_fraction; do
    check $k li-li:bare "$tmp/fit/bare.json"
done
for k in negative.coating.film_factor negative.coating.exchange_current_factor \
    negative.coating.porosity negative.exchange_current; do
    check $k li-li:cspbcl3-2mg "$tmp/fit/cspbcl3-2mg.json"
done

# the LFP fit (6 simulations from the presets): both presets, one LFP set, the fitted values
# within 1 % of the presets' (the fit stops within 0.2 % of each capacity)
if ! "$lmb" fit li-lfp -o "$tmp/fitlfp" > "$tmp/stdout" 2> "$tmp/stderr"; then
    fail "lmb fit li-lfp exited non-zero: $(cat "$tmp/stderr")"
fi
cat "$tmp/stdout"
for f in bare cspbcl3-2mg; do
    "$lmb" params check "$tmp/fitlfp/li-lfp-$f.json" > /dev/null 2>&1 || fail "li-lfp-$f.json does not load"
    grep -q '"fitted_to"' "$tmp/fitlfp/li-lfp-$f.json" || fail "li-lfp-$f.json has no fitted_to"
    for k in lfp.accessible_fraction lfp.diffusivity; do
        a=$(value $k li-lfp:$f)
        b=$(value $k "$tmp/fitlfp/li-lfp-$f.json")
        awk -v a="$a" -v b="$b" 'BEGIN { d = (b - a) / a; exit !(a != "" && d < 0.01 && d > -0.01) }' \
            || fail "$k of li-lfp:$f: preset $a, re-derived $b"
    done
done
cmp -s <(value lfp.diffusivity "$tmp/fitlfp/li-lfp-bare.json") \
    <(value lfp.diffusivity "$tmp/fitlfp/li-lfp-cspbcl3-2mg.json") || fail "two LFP sets"

"$lmb" fit > /dev/null 2>&1
[ $? -eq 2 ] || fail "lmb fit without what to fit must exit 2"
"$lmb" fit li-li --bare no-such.json > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "a missing cell must exit 2"
grep -q 'no-such.json' "$tmp/err" || fail "the message must name the file: $(cat "$tmp/err")"

[ "$fails" -eq 0 ] || exit 1
echo "test_fit: ok"
