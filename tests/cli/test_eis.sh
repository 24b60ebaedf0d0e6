#!/usr/bin/env bash
# test_eis.sh - `lmb eis fit`: every measured spectrum of ../shared/data/eis loads (45 spectra
# from the GEIS .mpr) and fits R0-p(R1,CPE1)-p(R2,CPE2) from the default guess; --json gives one
# object per spectrum with impedance.py's parameter names; bad input exits 2 with one message.
# Usage: test_eis.sh LMB SOURCE_DIR SHARED_DIR
source "$(dirname "$0")/common.sh"
data=${3:?usage: test_eis.sh LMB SOURCE_DIR SHARED_DIR}/data/eis
[ -d "$data" ] || { echo "FAIL: no measured spectra in $data (set LMB_SHARED_DIR)"; exit 1; }
circuit='R0-p(R1,CPE1)-p(R2,CPE2)'

for f in "$data"/*; do
    name=$(basename "$f")
    if ! "$lmb" eis fit "$f" --circuit "$circuit" --json > "$tmp/out.json" 2> "$tmp/err"; then
        fail "$name: $(cat "$tmp/err")"
        continue
    fi
    n=$(wc -l < "$tmp/out.json")
    want=1
    case "$name" in *45spectra*) want=45 ;; esac
    [ "$n" -eq "$want" ] || fail "$name: $n spectra fitted, expected $want"
    # every object: the circuit, the seven parameters and their errors, a finite rmse, converged
    while IFS= read -r line; do
        for k in '"circuit":"R0-p(R1,CPE1)-p(R2,CPE2)"' '"R0":' '"R1":' '"CPE1_0":' '"CPE1_1":' \
            '"R2":' '"CPE2_0":' '"CPE2_1":' '"stderr":{' '"rmse_ohm":' '"spectrum":'; do
            case "$line" in *"$k"*) ;; *) fail "$name: no $k in $line" ;; esac
        done
    done < "$tmp/out.json"
    # every fit converges (11 of the 45 nine-point GEIS spectra with a CPE exponent at its
    # bound 1: a minimum on the boundary, flagged at_bound)
    ! grep -q '"converged":false' "$tmp/out.json" || fail "$name: a fit did not converge"
    grep -q 'holds -Z\|physics sign' "$tmp/err" || fail "$name: the sign convention is not stated"
done

# lin-KK: every spectrum tested; the simulated spectrum (a linear, causal, stable model) is
# KK-consistent to well under 1 % of |Z|
for f in "$data"/*; do
    name=$(basename "$f")
    "$lmb" eis kk "$f" --json > "$tmp/kk.json" 2> "$tmp/err" || fail "kk $name: $(cat "$tmp/err")"
    want=1
    case "$name" in *45spectra*) want=45 ;; esac
    [ "$(wc -l < "$tmp/kk.json")" -eq "$want" ] || fail "kk $name: $(wc -l < "$tmp/kk.json") spectra"
    grep -q '"M":[0-9]*,"mu":[0-9.e-]*,"residual_rms":' "$tmp/kk.json" || fail "kk $name: $(head -c 300 "$tmp/kk.json")"
done

# DRT: every spectrum; the model's spectrum gives R_inf near its high-frequency intercept
for f in "$data"/*; do
    name=$(basename "$f")
    "$lmb" eis drt "$f" --json > "$tmp/drt.json" 2> "$tmp/err" || fail "drt $name: $(cat "$tmp/err")"
    want=1
    case "$name" in *45spectra*) want=45 ;; esac
    [ "$(wc -l < "$tmp/drt.json")" -eq "$want" ] || fail "drt $name: $(wc -l < "$tmp/drt.json") spectra"
    grep -q '"R_pol_ohm":[0-9.e+-]*,' "$tmp/drt.json" || fail "drt $name: $(head -c 300 "$tmp/drt.json")"
done

# figures: -o DIR writes a Nyquist and a Bode figure of each spectrum, as SVG and PNG
"$lmb" eis fit "$data/eis_liion_f_re_im__impedancepy.csv" --circuit 'L0-R0-p(R1,CPE1)-p(R2,CPE2)' \
    -o "$tmp/fig" > /dev/null 2> "$tmp/err" || fail "fit -o: $(cat "$tmp/err")"
for k in nyquist_1 bode_1; do
    [ -s "$tmp/fig/$k.svg" ] && grep -q '<svg' "$tmp/fig/$k.svg" || fail "no $k.svg"
    [ "$(head -c 4 "$tmp/fig/$k.png" | od -An -tx1 | tr -d ' ')" = "89504e47" ] || fail "no $k.png"
done

# the table form names the parameters with their units
"$lmb" eis fit "$data/eis_liion_f_re_im__impedancepy.csv" --circuit 'R0-p(R1,C1)' > "$tmp/table" 2>/dev/null ||
    fail "table output"
grep -q '^  C1 .* F$' "$tmp/table" || fail "C1 with its unit: $(cat "$tmp/table")"
# a guess in parameter order is taken (and a wrong count refused)
"$lmb" eis fit "$data/eis_liion_f_re_im__impedancepy.csv" --circuit 'R0-p(R1,C1)' --guess 0.01,0.02,1 \
    > /dev/null 2>&1 || fail "--guess with 3 values"
"$lmb" eis fit "$data/eis_liion_f_re_im__impedancepy.csv" --circuit 'R0-p(R1,C1)' --guess 0.01,0.02 \
    > /dev/null 2>&1
[ $? -eq 2 ] || fail "--guess with 2 values for 3 parameters must exit 2"

# the model's spectrum (at rest after the OCV protocol) reads back and fits: the bare Li||Li cell
# is a bulk resistance, two arcs (film, charge transfer) and the electrolyte's diffusion
"$lmb" eis sim li-li:bare --after protocol:eis-ocv -o "$tmp/sim.csv" 2> "$tmp/err" || fail "eis sim: $(cat "$tmp/err")"
head -n 1 "$tmp/sim.csv" | grep -qx 'frequency_Hz,Z_re_ohm,Z_im_ohm' || fail "eis sim header"
[ "$(wc -l < "$tmp/sim.csv")" -eq 92 ] || fail "eis sim: $(wc -l < "$tmp/sim.csv") lines, expected 1 + 91"
grep -q 'R_SEI 17[0-9.]* ohm' "$tmp/err" || fail "eis sim arc reading: $(cat "$tmp/err")"
"$lmb" eis fit "$tmp/sim.csv" --circuit 'R0-p(R1,C1)-p(R2,C2)-Wo1' --json > "$tmp/simfit.json" 2> "$tmp/err" ||
    fail "fitting the model's spectrum: $(cat "$tmp/err")"
grep -q 'physics sign, kept' "$tmp/err" || fail "the model's spectrum is in the physics sign: $(cat "$tmp/err")"
# (40 fixed elements: the mu criterion stops early on the model's ideal arcs; 1e-4 of |Z| there
# is the Voigt chain's own error, measured 6.6e-5, far below noise)
"$lmb" eis kk "$tmp/sim.csv" --M 40 > "$tmp/kk.txt" 2> /dev/null || fail "kk of the model's spectrum"
rms=$(sed 's/.*residuals rms \([0-9.e-]*\) %.*/\1/' "$tmp/kk.txt")
awk -v r="$rms" 'BEGIN { exit !(r >= 0 && r < 0.01) }' || fail "the model's spectrum: KK residual rms $rms %"
"$lmb" eis kk "$tmp/sim.csv" --M 0 > /dev/null 2>&1
[ $? -eq 2 ] || fail "--M 0 must exit 2"
"$lmb" eis sim no-such-cell > /dev/null 2>&1
[ $? -eq 2 ] || fail "eis sim of a missing cell must exit 2"

# bad input: one message naming the problem, exit 2
"$lmb" eis fit "$data/eis_liion_f_re_im__impedancepy.csv" --circuit 'R0-p(R1,C1' > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "an unbalanced circuit must exit 2"
grep -q 'column' "$tmp/err" || fail "the circuit message must give the column: $(cat "$tmp/err")"
"$lmb" eis fit "$tmp/no-such.csv" --circuit R0 > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "a missing file must exit 2"
grep -q 'no-such.csv' "$tmp/err" || fail "the message must name the file: $(cat "$tmp/err")"
printf '1,2\nx,y,z\n' > "$tmp/bad.csv"
"$lmb" eis fit "$tmp/bad.csv" --circuit R0 > /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "a malformed file must exit 2"
[ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "one line of error: $(cat "$tmp/err")"
"$lmb" eis frobnicate > /dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown eis command must exit 2"

finish test_eis
