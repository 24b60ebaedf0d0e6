#!/usr/bin/env bash
# test_protocols.sh - every protocol file of the study (protocols/*.txt) parses and runs on the
# Li||Li model (bare and coated presets) to its end, writes its three outputs, and ends as it
# should: the Li||Li protocols at 600 h, a short or after 300 cycles, the Adams protocols after all their
# cycles, the EIS protocols with all their spectra in eis.csv (91 frequencies each for 1 MHz to
# 1 mHz at 10 points per decade; 78 for 1 MHz to 20 mHz, 7.7 decades). The
# LFP protocols run too, but their 2.5 V discharge limit is met at once on a Li||Li cell; the
# run reports those steps (steps_ended_at_start) instead of passing silently.
# Usage: test_protocols.sh LMB SOURCE_DIR
set -u
lmb=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# meta KEY FILE: the value of "KEY" in summary.json's metadata
meta() { grep -Eo "\"$1\":[[:space:]]*(\"[^\"]*\"|[-0-9.e+]+)" "$2" | head -n 1 | sed -E 's/.*:[[:space:]]*"?([^"]*)"?/\1/'; }

expect() { # expect NAME CELL KEY VALUE
    local got
    got=$(meta "$3" "$tmp/$1-$2/summary.json")
    [ "$got" = "$4" ] || fail "$1 on $2: $3 = '$got', expected '$4'"
}

for p in "$src"/protocols/*.txt; do
    name=$(basename "$p" .txt)
    for cell in bare cspbcl3-2mg; do
        out=$tmp/$name-$cell
        if ! "$lmb" run "li-li:$cell" "$p" -o "$out" -q 2> "$tmp/err"; then
            fail "$name on $cell: $(cat "$tmp/err")"
            continue
        fi
        for f in timeseries.bdf.csv cycles.csv summary.json; do
            [ -s "$out/$f" ] || fail "$name on $cell: no $f"
        done
        n=$((n + 1))
    done
done
[ "$n" -ge 18 ] || fail "only $n protocol runs (expected 9 files x 2 cells)"

for cell in bare cspbcl3-2mg; do
    # the calibrated cells degrade: a Li||Li run ends at 600 h, at a short, or after its 300
    # cycles (half cycles cut short by the safety limit once the cell dries out)
    for i in 1 2 4; do
        end=$(meta end "$tmp/li-li-${i}mA-$cell/summary.json")
        case "$end" in
        "total time reached" | "short circuit" | completed) ;;
        *) fail "li-li-${i}mA on $cell: end = '$end'" ;;
        esac
    done
    expect li-li-1mA $cell end "$([ $cell = bare ] && echo 'short circuit' || echo 'total time reached')"
    expect adams-ce-1 $cell end completed
    expect adams-ce-1 $cell cycles 13
    expect adams-ce-1 $cell steps 24
    expect adams-ce-3 $cell cycles 15
    expect eis-ocv $cell spectra 1
    expect li-li-operando-eis $cell cycles 20
    expect li-li-operando-eis $cell steps 160
    expect li-li-operando-eis $cell spectra 161
    # 3 + 250 discharges (formation + 1C) and 25 (rate test) meet 2.5 V at once on Li||Li
    [ "$(wc -l < "$tmp/eis-ocv-$cell/eis.csv")" -eq 92 ] || fail "eis-ocv on $cell: eis.csv rows"
    # one arc reading per spectrum, with a positive R_SEI
    awk -F, 'NR > 1 && !($6 > 0) { bad = 1 } END { exit bad || NR != 162 }' \
        "$tmp/li-li-operando-eis-$cell/eis_metrics.csv" || fail "operando on $cell: eis_metrics.csv"
    [ "$(wc -l < "$tmp/li-li-operando-eis-$cell/eis.csv")" -eq $((161 * 78 + 1)) ] \
        || fail "operando on $cell: eis.csv rows"
    expect lfp-formation-1c $cell steps_ended_at_start 253
    expect lfp-rate $cell steps_ended_at_start 25
done

if [ "$fails" -gt 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "test_protocols: $n runs completed with the expected ends"
