#!/usr/bin/env bash
# test_reference.sh - the reference case li-licoo2:reference from the command line: its five
# protocols run (the four discharges end at 3.8 V with the capacity falling as the rate rises;
# the 49 cycles complete), the preset written out as a cell file reads back, and tables that
# are wrong or left are one clear message: a malformed CSV (exit 2, file and line), a missing
# file, a wrong unit, an unknown correlation, and the OCV table of the case's README (it stops
# at y = 0.99, which a 0.1C discharge to 3.8 V passes: exit 1 naming the table).
# Usage: test_reference.sh LMB SOURCE_DIR SHARED_DIR
source "$(dirname "$0")/common.sh"
shared=${3:-}

# the summary's first-cycle discharge capacity [mAh/cm2] of a run directory
capacity() { sed -n '2p' "$1/cycles.csv" | cut -d, -f14; }

prev=1e9
for rate in 0.1c 0.5c 1c 2c; do
    out="$tmp/d$rate"
    "$lmb" run li-licoo2:reference "protocol:reference/discharge-$rate" -o "$out" > "$tmp/log" 2>&1 ||
        { fail "discharge-$rate: exit $? ($(tail -1 "$tmp/log"))"; continue; }
    grep -q '"end":	"completed"' "$out/summary.json" || fail "discharge-$rate: not completed"
    last=$(tail -1 "$out/timeseries.bdf.csv" | cut -d, -f2)
    awk -v v="$last" 'BEGIN { exit !(v > 3.7999 && v < 3.8001) }' ||
        fail "discharge-$rate: ends at $last V, not at 3.8 V"
    first=$(sed -n '2p' "$out/timeseries.bdf.csv" | cut -d, -f2)
    awk -v v="$first" 'BEGIN { exit !(v > 4.2 && v < 4.25) }' ||
        fail "discharge-$rate: starts at $first V (the OCV of y = 0.5 is 4.2417 V)"
    q=$(capacity "$out")
    awk -v q="$q" -v p="$prev" 'BEGIN { exit !(q > 0.5 && q < p) }' ||
        fail "discharge-$rate: $q mAh/cm2, not below the slower rate's $prev"
    prev=$q
done

out="$tmp/cycles"
if "$lmb" run li-licoo2:reference protocol:reference/cycles-49 -o "$out" > "$tmp/log" 2>&1; then
    # 49 discharge/charge pairs: the first discharge is cycle 1, each charge starts a cycle
    [ "$(($(wc -l < "$out/cycles.csv") - 1))" -eq 50 ] || fail "cycles-49: $(wc -l < "$out/cycles.csv") lines in cycles.csv"
    steps=$(cut -d, -f4 "$out/timeseries.bdf.csv" | sort -n | tail -1)
    [ "$steps" -eq 98 ] || fail "cycles-49: $steps steps, not 98"
    # each 50-minute leg at 3.3632 mA/cm2 moves 2.8027 mAh/cm2, and nothing is lost
    tail -1 "$out/cycles.csv" | cut -d, -f2 | grep -q '^2\.8026' ||
        fail "cycles-49: last charge $(tail -1 "$out/cycles.csv" | cut -d, -f2) mAh"
else
    fail "cycles-49: exit $? ($(tail -1 "$tmp/log"))"
fi

# the preset written out reads back from anywhere (its table is built in)
"$lmb" params show li-licoo2:reference --json > "$tmp/ref.json" || fail "params show --json"
(cd "$tmp" && "$lmb" params check ref.json > /dev/null 2>&1) || fail "the written preset does not read back"
"$lmb" params show li-licoo2:reference | grep -q "porous.ocv .*table presets/li-licoo2/licoo2_ocv.csv (2001 rows" ||
    fail "params show does not list the OCV table"

# a cell of its own with an OCV table beside it
cell() { # cell FILE OCV_JSON: a li-porous cell with that porous.ocv
    printf '{"type": "li-porous", "nominal_capacity_mAh_cm2": 3.3632, "porous": {"ocv": %s}}\n' "$2" > "$1"
}
mkdir -p "$tmp/cells"
printf 'stoichiometry,ocp_V\n0.1,4.2\n0.5,4.0\n0.9,3.9\n' > "$tmp/cells/ok.csv"
cell "$tmp/cells/ok.json" '{"table": "ok.csv", "interpolation": "steffen"}'
"$lmb" params check "$tmp/cells/ok.json" > /dev/null 2>&1 || fail "a table beside the cell file is not found"

bad_cell() { # bad_cell NAME PATTERN CELL: params check refuses CELL (common.sh)
    expect_input_error "$1" "$2" "$lmb" params check "$3"
}
printf 'stoichiometry,ocp_V\n0.1,4.2\n0.5,four\n0.9,3.9\n' > "$tmp/cells/bad.csv"
cell "$tmp/cells/bad.json" '{"table": "bad.csv"}'
bad_cell "malformed table" "bad.csv:3:" "$tmp/cells/bad.json"
cell "$tmp/cells/missing.json" '{"table": "nope.csv"}'
bad_cell "missing table" "nope.csv" "$tmp/cells/missing.json"
printf 'stoichiometry,ocp_mA\n0.1,4.2\n0.5,4.0\n0.9,3.9\n' > "$tmp/cells/unit.csv"
cell "$tmp/cells/unit.json" '{"table": "unit.csv"}'
bad_cell "wrong unit" "unit.csv" "$tmp/cells/unit.json"
cell "$tmp/cells/name.json" '"dualfoil"'
bad_cell "unknown OCV" "porous.ocv = 'dualfoil' is not a known open-circuit potential" "$tmp/cells/name.json"
printf '{"type": "li-porous", "electrolyte": {"conductivity": "nope"}}\n' > "$tmp/cells/kappa.json"
bad_cell "unknown correlation" "electrolyte.conductivity = 'nope' is not a known correlation (choices: capiglia1999" "$tmp/cells/kappa.json"
cell "$tmp/cells/akima.json" '{"table": "ok.csv", "interpolation": "akima"}'
bad_cell "akima on 3 rows" "porous.ocv: akima interpolation needs at least 5 rows; its table has 3" "$tmp/cells/akima.json"
cell "$tmp/cells/start.json" '{"table": "ok.csv"}'
sed -i 's/"porous": {/"porous": {"initial_stoichiometry": 0.95, /' "$tmp/cells/start.json"
bad_cell "table not covering the start" "porous.ocv table '.*ok.csv' covers stoichiometry 0.1 to 0.9; asked for 0.95 (the initial stoichiometry" "$tmp/cells/start.json"
printf 'concentration_mol_L,conductivity_S_m\n0.5,0.9\n0.8,1.0\n0.9,1.1\n' > "$tmp/cells/kappa.csv"
printf '{"type": "li-porous", "electrolyte": {"conductivity": {"table": "kappa.csv"}}}\n' > "$tmp/cells/kt.json"
bad_cell "conductivity table not covering c0" "electrolyte.conductivity table '.*kappa.csv' covers concentration 0.5 to 0.9 mol/L; asked for 1 (the initial concentration" "$tmp/cells/kt.json"
printf '{"type": "li-porous", "porous": {"porosity": 0.6, "active_fraction": 0.5}}\n' > "$tmp/cells/frac.json"
bad_cell "volume fractions" "add up to 1.1 > 1" "$tmp/cells/frac.json"

# the README's table stops at y = 0.99: a 0.1C discharge to 3.8 V leaves it, and says so
if [ -n "$shared" ] && [ -f "$shared/cases/li-foil-licoo2/ocp_licoo2.csv" ]; then
    "$lmb" params show li-licoo2:reference --json |
        sed "s|\"presets/li-licoo2/licoo2_ocv.csv\"|\"$shared/cases/li-foil-licoo2/ocp_licoo2.csv\"|" > "$tmp/readme.json"
    grep -q ocp_licoo2.csv "$tmp/readme.json" || fail "could not point the cell at the README's table"
    msg=$("$lmb" run "$tmp/readme.json" protocol:reference/discharge-0.1c -o "$tmp/readme" 2>&1 > /dev/null)
    rc=$?
    [ "$rc" -eq 1 ] || fail "README table at 0.1C: exit $rc, not 1"
    grep -q "end of the porous.ocv table '.*ocp_licoo2.csv' (it covers 0.0005 to 0.99)" <<< "$msg" ||
        fail "README table at 0.1C: the message does not name the table's end: $msg"
    [ -s "$tmp/readme/timeseries.bdf.csv" ] || fail "README table at 0.1C: the record up to the failure is lost"
    # ... while at 1C the discharge ends at 3.8 V inside it, as with the preset's table
    "$lmb" run "$tmp/readme.json" protocol:reference/discharge-1c -o "$tmp/readme1" > /dev/null 2>&1 ||
        fail "README table at 1C: exit $?"
else
    echo "note: no $shared/cases/li-foil-licoo2/ocp_licoo2.csv; the README-table checks are skipped"
fi

finish test_reference.sh
