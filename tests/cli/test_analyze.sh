#!/usr/bin/env bash
# test_analyze.sh - `lmb analyze` and `lmb convert` on every real file of ../shared/data:
# each is analysed (cycles.csv, half_cycles.csv, summary.json, figures) or, for a settings file,
# described; a record converted to Battery Data Format CSV analyses to the same cycle table; the
# NaCoO2 record gives five cycles of charge and discharge capacities and CE; bad input (empty,
# garbage, truncated, missing) exits 2 with one message naming the file, and writes nothing.
# Usage: test_analyze.sh LMB SOURCE_DIR SHARED_DIR
source "$(dirname "$0")/common.sh"
data=${3:?usage: test_analyze.sh LMB SOURCE_DIR SHARED_DIR}/data
[ -d "$data/cycler" ] || { echo "FAIL: no cycler files in $data (set LMB_SHARED_DIR)"; exit 1; }

# relative difference of two CSV tables, field by field (numbers), the largest; the first 12
# fields (cycle .. retention), which do not depend on an area, mass or capacity the file states
csv_diff() {
    paste -d '\n' "$1" "$2" | awk -F, 'NR % 2 == 1 { n = split($0, a, ","); if (n > 12) n = 12; next }
        { split($0, b, ","); for (i = 1; i <= n; i++) {
            if (a[i] == b[i]) continue;
            if (a[i] == "" || b[i] == "" || a[i] !~ /^[-0-9.e+]+$/) { print "field " i ": " a[i] " vs " b[i]; m = 1e9; continue }
            d = a[i] - b[i]; if (d < 0) d = -d; s = a[i] < 0 ? -a[i] : a[i];
            if (s > 0 && d / s > m) m = d / s } }
        END { printf "%.3g\n", m + 0 }'
}

for f in "$data"/cycler/* "$data"/eis/*; do
    name=$(basename "$f")
    out="$tmp/a/$name"
    if ! "$lmb" analyze "$f" -o "$out" > "$tmp/stdout" 2> "$tmp/err"; then
        fail "analyze $name: $(cat "$tmp/err")"
        continue
    fi
    case "$name" in
    *.mps)
        grep -q "settings only" "$tmp/stdout" || fail "$name: not described as settings"
        continue
        ;;
    esac
    for o in cycles.csv half_cycles.csv summary.json report.html; do
        [ -s "$out/$o" ] || fail "$name: no $o"
    done
    grep -q '"format"' "$out/summary.json" || fail "$name: summary.json lacks the format"
    case "$name" in
    eis_*) # impedance text columns: one row per numeric line, counted here independently
        want=$(grep -cE '^[[:space:]]*[-+0-9.]' "$f")
        grep -q "\"rows\":[[:space:]]*$want," "$out/summary.json" || fail "$name: rows != $want"
        grep -q '"format":[[:space:]]*"eis-text"' "$out/summary.json" || fail "$name: not eis-text"
        ;;
    esac
    head -n 1 "$out/cycles.csv" | grep -q '^cycle,charge_capacity_mAh,discharge_capacity_mAh,coulombic_efficiency,' ||
        fail "$name: cycles.csv header differs from the simulator's"
    if grep -q '"half_cycles":[[:space:]]*[1-9]' "$out/summary.json"; then
        for fig in voltage capacity; do
            [ -s "$out/$fig.svg" ] && [ -s "$out/$fig.png" ] || fail "$name: no $fig figure"
        done
    fi
    if ! grep -q '"spectra":[[:space:]]*0' "$out/summary.json"; then
        [ -s "$out/eis.csv" ] && [ -s "$out/impedance.svg" ] || fail "$name: spectra but no eis.csv/impedance figure"
    fi
    # convert to BDF and analyse again: the same cycle table (10 significant digits written);
    # a record without time, voltage or current is refused (BDF requires them)
    if ! grep -q '"Current / A"' "$out/summary.json" || ! grep -q '"Test Time / s"' "$out/summary.json"; then
        "$lmb" convert "$f" -o "$tmp/c.bdf.csv" > /dev/null 2> "$tmp/err"
        [ $? -eq 2 ] && grep -q "Battery Data Format requires" "$tmp/err" ||
            fail "convert $name (no current or time): $(cat "$tmp/err")"
        continue
    fi
    if ! "$lmb" convert "$f" -o "$tmp/c.bdf.csv" > /dev/null 2> "$tmp/err"; then
        fail "convert $name: $(cat "$tmp/err")"
        continue
    fi
    "$lmb" analyze "$tmp/c.bdf.csv" -o "$tmp/b" --no-figures -q 2> "$tmp/err" ||
        { fail "analyze converted $name: $(cat "$tmp/err")"; continue; }
    d=$(csv_diff "$out/cycles.csv" "$tmp/b/cycles.csv")
    awk -v d="$d" 'BEGIN { exit !(d < 1e-6) }' || fail "$name: converted record's cycles differ by $d"
    rm -rf "$tmp/b"
done

# the NaCoO2 record: five charge/discharge cycles with both capacities and a CE
nacoo2="$tmp/a/biologic_gcpl_NaCoO2_coin_5cyc__datalab.mpr/cycles.csv"
if [ -f "$nacoo2" ]; then
    full=$(awk -F, 'NR > 1 && $2 > 0 && $3 > 0 && $4 > 0.5 && $4 < 1.5' "$nacoo2" | wc -l)
    [ "$full" -ge 5 ] || fail "NaCoO2: $full cycles with charge, discharge and CE (want >= 5)"
fi

# a simulation drawn beside a measured record (--compare): lmb run's output, cut by the same rules
printf 'Repeat 3 times:\n    Plate at 0.4 mA/cm2 for 0.2 mAh/cm2\n    Strip at 0.4 mA/cm2 for 0.2 mAh/cm2\n' \
    > "$tmp/p3.txt"
"$lmb" run li-li:bare "$tmp/p3.txt" -o "$tmp/sim" -q || fail "lmb run for --compare"
"$lmb" analyze "$data"/cycler/biologic_gcpl_NaCoO2_coin_5cyc__datalab.mpr --compare "$tmp/sim" \
    -o "$tmp/cmp" -q 2> "$tmp/err" || fail "--compare: $(cat "$tmp/err")"
for fig in compare_voltage compare_capacity; do
    [ -s "$tmp/cmp/$fig.svg" ] && [ -s "$tmp/cmp/$fig.png" ] || fail "--compare: no $fig figure"
    grep -q "$fig.svg" "$tmp/cmp/report.html" || fail "--compare: $fig not in report.html"
done
grep -q '"compared_with"' "$tmp/cmp/summary.json" || fail "--compare: not in summary.json"
"$lmb" analyze "$data"/cycler/biologic_gcpl_NaCoO2_coin_5cyc__datalab.mpr --compare \
    "$tmp/nothing-here" -o "$tmp/cmp2" -q > /dev/null 2>&1
[ $? -eq 2 ] || fail "--compare with a missing run: not exit 2"

# the quantity flags in any unit of their dimension, converted (Neware: 0.01 mA is below its
# currents, so the cut is the default one)
nw="$data"/cycler/neware_csv__cellpy_neware_uio.csv
"$lmb" analyze "$nw" -o "$tmp/u1" -q --no-figures || fail "neware default"
"$lmb" analyze "$nw" -o "$tmp/u2" -q --no-figures --capacity 5mAh --rest-current 0.01mA \
    --area 1cm2 --mass 10mg || fail "neware with quantity flags"
for k in '"nominal_capacity_mAh":[[:space:]]*5,' '"area_cm2":[[:space:]]*1,' \
    '"active_mass_mg":[[:space:]]*10,' '"rest_current_A":[[:space:]]*1e-05,'; do
    grep -q "$k" "$tmp/u2/summary.json" || fail "quantity flags: no $k in summary.json"
done
[ "$(cut -d, -f1-4 "$tmp/u1/cycles.csv")" = "$(cut -d, -f1-4 "$tmp/u2/cycles.csv")" ] ||
    fail "quantity flags: a rest current of 0.01 mA changed the cycles"

# several files: one directory each, the worst exit status
"$lmb" analyze "$data"/cycler/arbin_csv__beep_FastCharge_000025_CH8.csv \
    "$data"/cycler/bdf_csv__SINTEF__LiGrR2032__2024-04-30__25degC__Landt.bdf.csv -o "$tmp/m" -q \
    --no-figures || fail "two files"
[ -s "$tmp/m/arbin_csv__beep_FastCharge_000025_CH8/cycles.csv" ] || fail "two files: no subdirectory"

# bad input: exit 2, one line naming the file, nothing written
printf '' > "$tmp/empty.csv"
head -c 3000 /dev/urandom > "$tmp/garbage.bin"
head -c 5000 "$data"/cycler/biologic_gcpl_LiLi_symm_plating__insitu.mpr > "$tmp/trunc.mpr"
for f in "$tmp/empty.csv" "$tmp/garbage.bin" "$tmp/trunc.mpr" "$tmp/missing.csv"; do
    "$lmb" analyze "$f" -o "$tmp/bad" > /dev/null 2> "$tmp/err"
    rc=$?
    [ "$rc" -eq 2 ] || fail "$(basename "$f"): exit $rc, expected 2"
    [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "$(basename "$f"): not one message: $(cat "$tmp/err")"
    grep -q "$(basename "$f")" "$tmp/err" || fail "$(basename "$f"): message does not name it"
    [ ! -e "$tmp/bad" ] || fail "$(basename "$f"): output written for bad input"
done
"$lmb" analyze > /dev/null 2>&1
[ $? -eq 2 ] || fail "no FILE: not a usage error"
"$lmb" analyze "$data/cycler/arbin_csv__beep_FastCharge_000025_CH8.csv" --capacity 5 parsecs \
    > /dev/null 2>&1
[ $? -eq 2 ] || fail "a capacity in parsecs is accepted"
"$lmb" convert "$tmp/garbage.bin" -o "$tmp/x.bdf.csv" > /dev/null 2>&1
[ $? -eq 2 ] || fail "convert garbage: not exit 2"
[ ! -e "$tmp/x.bdf.csv" ] || fail "convert garbage wrote a file"

finish test_analyze
