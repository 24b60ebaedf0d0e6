#!/usr/bin/env bash
# test_params.sh - `lmb params show|check` on the presets and on bad cell files.
#
# Usage: test_params.sh LMB_BINARY SOURCE_DIR
# For every bad file: the exit status is 2, stderr is exactly one line "lmb: ...", and that line
# names the file and the field at fault. The presets must show and check with status 0.
set -u

lmb=${1:?usage: test_params.sh LMB_BINARY SOURCE_DIR}
src=${2:?usage: test_params.sh LMB_BINARY SOURCE_DIR}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lmb_test_params.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# expect_bad NAME FIELD CONTENT: writes $tmp/NAME.json, expects exit 2 and one stderr line that
# contains the file path and FIELD.
expect_bad() {
    local name=$1 field=$2 content=$3
    local file="$tmp/$name.json"
    printf '%s' "$content" >"$file"
    expect_bad_path "$file" "$field" "$name"
}

expect_bad_path() {
    local file=$1 field=$2 what=$3
    expect_input_error "$what" "" "$lmb" params check "$file" || return
    case $input_error in
    *"$file"*) ;;
    *) fail "$what: message does not name the file $file: $input_error" ;;
    esac
    case $input_error in
    *"$field"*) ;;
    *) fail "$what: message does not name '$field': $input_error" ;;
    esac
}

expect_bad syntax 'JSON syntax error' '{
  "separator": {
    "thickness_um": 16,,
  }
}'
# the syntax error carries line and column
expect_bad syntax_line 'syntax_line.json:3:' '{
  "area_cm2": 0.502,
  "temperature_C" 25
}'
expect_bad unknown_key 'separator.thicknes_um' '{"separator": {"thicknes_um": 16}}'
expect_bad negative_thickness 'separator.thickness_um = -5 um' \
    '{"separator": {"thickness_um": -5}}'
expect_bad tplus_one 'electrolyte.transference_number = 1 ' \
    '{"electrolyte": {"transference_number": 1}}'
expect_bad tplus_above 'electrolyte.transference_number' \
    '{"electrolyte": {"transference_number": {"value": 1.2, "source": "typo"}}}'
expect_bad wrong_unit 'separator.thickness_mA' '{"separator": {"thickness_mA": 16}}'
expect_bad unknown_unit 'negative.exchange_current_mA_cm' \
    '{"negative": {"exchange_current_mA_cm": 6.4}}'
expect_bad empty 'empty file' ''
expect_bad not_object 'top level' '[1, 2, 3]'
expect_bad wrong_type 'separator.porosity' '{"separator": {"porosity": "0.4"}}'
expect_bad duplicate 'separator.thickness' '{"separator": {"thickness_um": 16, "thickness_nm": 16}}'
expect_bad huge 'separator.thickness_um' '{"separator": {"thickness_um": 1e999}}'
expect_bad no_loading 'negative.coating.loading_mg_cm2' \
    '{"electrodes": {"coating": {"porosity": 0.4}}}'
expect_bad lfp_unknown_ocv "lfp.ocv = 'safari'" \
    '{"type": "li-lfp", "lfp": {"ocv": "safari"}}'
expect_bad lfp_positive "a li-lfp cell's positive electrode is the 'lfp' section" \
    '{"type": "li-lfp", "positive": {"thickness_um": 100}}'
expect_bad lfp_in_li_li 'only a li-lfp cell has an LFP electrode' \
    '{"type": "li-li", "lfp": {"loading_mg_cm2": 7}}'
expect_bad lfp_fractions 'lfp.carbon_mass_fraction' \
    '{"type": "li-lfp", "lfp": {"active_mass_fraction": 0.9, "carbon_mass_fraction": 0.2}}'
expect_bad_path "$tmp/missing.json" 'No such file' missing_file
expect_bad_path "$tmp" 'Is a directory' directory
printf '{"a": 1}\000' >"$tmp/nul.json"
expect_bad_path "$tmp/nul.json" 'NUL byte' nul_byte

# an unknown preset lists the presets
err=$("$lmb" params check li-li:nonexistent 2>&1 >/dev/null)
status=$?
[ "$status" -eq 2 ] || fail "unknown preset: exit status $status, expected 2"
case $err in
*li-li:bare*) ;;
*) fail "unknown preset: message does not list the presets: $err" ;;
esac

# the presets
for preset in li-li:bare li-li:cspbcl3-2mg li-lfp:bare li-lfp:cspbcl3-2mg; do
    out=$("$lmb" params check "$preset" 2>&1)
    status=$?
    [ "$status" -eq 0 ] || fail "check $preset: exit status $status: $out"
    [ "$out" = "$preset: ok" ] || fail "check $preset: output '$out', expected '$preset: ok'"
    out=$("$lmb" params show "$preset" 2>"$tmp/stderr")
    status=$?
    [ "$status" -eq 0 ] || fail "show $preset: exit status $status: $(cat "$tmp/stderr")"
    [ -s "$tmp/stderr" ] && fail "show $preset: wrote to stderr: $(cat "$tmp/stderr")"
    for want in separator.thickness "Juhi et al." "allowed range" "SI value"; do
        case $out in
        *"$want"*) ;;
        *) fail "show $preset: output lacks '$want'" ;;
        esac
    done
    # --json writes a cell file that checks and shows the same parameters
    "$lmb" params show "$preset" --json >"$tmp/roundtrip.json" ||
        fail "show --json $preset: exit status $?"
    "$lmb" params check "$tmp/roundtrip.json" >/dev/null ||
        fail "show --json $preset: the output does not check"
done

# the file in presets/ checks as a file too
out=$("$lmb" params check "$src/presets/li-li/bare.json" 2>&1) ||
    fail "check presets/li-li/bare.json: $out"

# the coated preset shows its derived coating thickness, m / (rho (1 - eps)) with its porosity
out=$("$lmb" params show li-li:cspbcl3-2mg)
eps=$(awk '$1 == "negative.coating.porosity" { print $2 }' <<< "$out")
want=$(awk -v e="$eps" 'BEGIN { printf "%.4g", 0.02 / (4210 * (1 - e)) * 1e6 }')
grep -q "negative coating thickness.*[[:space:]]$want[[:space:]]*um" <<< "$out" ||
    fail "show li-li:cspbcl3-2mg: no derived coating thickness $want um (porosity $eps)"

# the li-lfp presets show their LFP electrode: the derived thickness (hand computation: solid
# volume of 7.55 mg/cm2 at 90:5:5 over 1 - 0.4), the theoretical capacities, the size classes
out=$("$lmb" params show li-lfp:cspbcl3-2mg)
want=$(awk 'BEGIN { m = 0.0755; w = 0.05 / 0.9
    printf "%.4g", (m / 3600 + m * w / 1900 + m * w / 1780) / 0.6 * 1e6 }')
grep -q "^type: li-lfp$" <<< "$out" || fail "show li-lfp:cspbcl3-2mg: no 'type: li-lfp'"
grep -q "LFP thickness.*[[:space:]]$want[[:space:]]*um" <<< "$out" ||
    fail "show li-lfp:cspbcl3-2mg: no derived LFP thickness $want um"
grep -q "LFP theoretical capacity.*169.8 *mAh/g" <<< "$out" ||
    fail "show li-lfp:cspbcl3-2mg: no theoretical capacity 169.8 mAh/g"
grep -q "LFP particle-class radii.* 50 .*nm" <<< "$out" ||
    fail "show li-lfp:cspbcl3-2mg: no particle-class radii"
grep -q "^lfp.ocv  *safari2011 .*Safari & Delacourt" <<< "$out" ||
    fail "show li-lfp:cspbcl3-2mg: no lfp.ocv line with its source"
grep -q "^positive\." <<< "$out" && fail "show li-lfp:cspbcl3-2mg: lists positive.* parameters"
"$lmb" params check li-lfp:cspbcl3-4mg >/dev/null || fail "check li-lfp:cspbcl3-4mg"

# schema and presets listings
out=$("$lmb" params show --schema) || fail "show --schema: exit status $?"
for want in separator.thickness_um electrodes.exchange_current_mA_cm2 \
    electrodes.coating.loading_mg_cm2 lfp.loading_mg_cm2 lfp.size_classes numerics.rtol required; do
    case $out in
    *"$want"*) ;;
    *) fail "show --schema: output lacks '$want'" ;;
    esac
done
out=$("$lmb" params show --schema --markdown) || fail "show --schema --markdown: exit $?"
case $out in
"| key | unit | default"*) ;;
*) fail "show --schema --markdown: not a markdown table" ;;
esac
out=$("$lmb" params show --presets) || fail "show --presets: exit status $?"
case $out in
*li-lfp:bare*li-lfp:cspbcl3-2mg*li-li:bare*li-li:cspbcl3-2mg*) ;;
*) fail "show --presets: output lacks the presets: $out" ;;
esac

# usage errors exit 2
for args in "" "frobnicate" "show" "check" "show --bogus li-li:bare" "check a b" \
    "show --markdown li-li:bare"; do
    # shellcheck disable=SC2086
    "$lmb" params $args >/dev/null 2>&1
    status=$?
    [ "$status" -eq 2 ] || fail "'lmb params $args': exit status $status, expected 2"
done

# docs/cell-files.md carries the schema table as `lmb params show --schema --markdown` prints it
"$lmb" params show --schema --markdown > "$tmp/schema.md" || fail "params show --schema --markdown"
sed -n '/^| key | unit | default/,/^[^|]/p' "$src/docs/cell-files.md" | grep '^|' > "$tmp/doc_schema.md"
grep '^|' "$tmp/schema.md" | cmp -s - "$tmp/doc_schema.md" ||
    fail "docs/cell-files.md's schema table differs from lmb params show --schema --markdown (regenerate it)"

if [ "$failures" -ne 0 ]; then
    echo "test_params.sh: $failures failure(s)" >&2
    exit 1
fi
echo "test_params.sh: all passed"
