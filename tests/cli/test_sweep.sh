#!/usr/bin/env bash
# test_sweep.sh - `lmb sweep`: a 1,000-point sweep of the coated Li||Li preset (coating loading x
# coating porosity x current density) gives the same catalogue with --jobs 1, --jobs 2 and
# `mpirun -n 2`; killed with SIGKILL half-way and resumed it loses nothing and repeats nothing;
# SIGINT stops it cleanly; bad sweep files and a catalogue of another sweep are refused with one
# line and exit 2; time series per point on request.
# Under the sanitizer build the sweep is 200 points (the same checks, a fifth of the time).
# Usage: test_sweep.sh LMB SOURCE_DIR
source "$(dirname "$0")/common.sh"

command -v sqlite3 > /dev/null || { echo "FAIL: the sqlite3 shell is missing (scripts/install-deps.sh)"; exit 1; }
q() { sqlite3 "$1" "$2"; } # q DB SQL: one query

# the sanitizer build runs a smaller design (ASan makes each point ~3x slower)
if nm "$lmb" 2> /dev/null | grep -q __asan_init; then n_load=5 n_por=5 n_cur=8; else
    n_load=10 n_por=10 n_cur=10; fi
N=$((n_load * n_por * n_cur))

# 5 cycles of 1 h half cycles at the swept current density (the cycler's 0.5 V safety limit
# ends a half cycle that the cell cannot sustain)
cat > "$tmp/cycling.txt" << 'P'
# Li||Li at {current_mA_cm2} mA/cm2
Repeat 5 times:
    Plate at {current_mA_cm2} mA/cm2 for 1 h or until -0.5 V or until short
    Strip at {current_mA_cm2} mA/cm2 for 1 h or until 0.5 V or until short
P
cat > "$tmp/sweep.json" << J
{
  "description": "coating loading x porosity x current density",
  "cell": "li-li:cspbcl3-2mg",
  "protocol": "cycling.txt",
  "grid": {
    "electrodes.coating.loading_mg_cm2": {"from": 0.5, "to": 4, "n": $n_load, "scale": "log"},
    "electrodes.coating.porosity": {"from": 0.2, "to": 0.6, "n": $n_por},
    "protocol.current_mA_cm2": {"from": 0.25, "to": 4, "n": $n_cur, "scale": "log"}
  }
}
J

# --points: the design without running it
"$lmb" sweep "$tmp/sweep.json" --points > "$tmp/points.csv" || fail "--points exited non-zero"
[ "$(wc -l < "$tmp/points.csv")" -eq $((N + 1)) ] || fail "--points: $(wc -l < "$tmp/points.csv") lines, want $((N + 1))"
head -n 1 "$tmp/points.csv" | grep -qx 'point,electrodes.coating.loading_mg_cm2,electrodes.coating.porosity,protocol.current_mA_cm2' \
    || fail "--points header: $(head -n 1 "$tmp/points.csv")"

# ---- --jobs 1: the reference catalogue ----
if ! "$lmb" sweep "$tmp/sweep.json" -o "$tmp/j1" --jobs 1 > "$tmp/j1.out" 2> "$tmp/j1.err"; then
    fail "--jobs 1 exited non-zero: $(tail -n 3 "$tmp/j1.err")"
fi
db1=$tmp/j1/sweep.sqlite
[ "$(q "$db1" 'select count(*) from points')" -eq "$N" ] || fail "--jobs 1: $(q "$db1" 'select count(*) from points') rows, want $N"
[ "$(q "$db1" 'select count(distinct point) from points where point between 0 and '$((N - 1)))" -eq "$N" ] \
    || fail "--jobs 1: the points are not 0..$((N - 1))"
[ "$(q "$db1" "select count(*) from points where status = 'ok'")" -eq "$N" ] \
    || fail "--jobs 1: not every point ok: $(q "$db1" "select status, count(*), min(error) from points group by status")"
grep -q "lmb sweep: \[##############################\] $N/$N points" "$tmp/j1.err" || fail "no final progress bar on stderr"
grep -q "points/s" "$tmp/j1.err" || fail "the progress bar has no rate"
grep -q "left" "$tmp/j1.err" || fail "the progress bar has no time left"
# the metrics vary as physics says: a thinner, more porous coating and a lower current give a
# lower overpotential; the 4 mA/cm2 points at the densest, heaviest coating hit the 0.5 V limit
low=$(q "$db1" "select eta_initial_mV from points where point = 0")
high=$(q "$db1" "select eta_initial_mV from points where point = $((n_cur - 1))")
awk -v a="$low" -v b="$high" 'BEGIN { exit !(a > 0 && b > a) }' || fail "overpotential does not rise with current: $low -> $high mV"
[ "$(q "$db1" 'select count(*) from points where cycles = 5 and eta_mean_mV > 0 and ce_mean_percent > 90')" -gt $((N / 2)) ] \
    || fail "fewer than half the points have 5 cycles with an overpotential and CE"
[ "$(q "$db1" "select value from meta where key = 'points'")" = "$N" ] || fail "meta.points"
[ "$(q "$db1" "select group_concat(name || ':' || kind) from parameters")" = \
  "electrodes.coating.loading_mg_cm2:cell,electrodes.coating.porosity:cell,protocol.current_mA_cm2:protocol" ] \
    || fail "parameters table: $(q "$db1" 'select * from parameters')"
q "$db1" '.dump points' > "$tmp/dump1"

# ---- --jobs 2 and mpirun -n 2: the same rows and values ----
"$lmb" sweep "$tmp/sweep.json" -o "$tmp/j2" --jobs 2 -q || fail "--jobs 2 exited non-zero"
q "$tmp/j2/sweep.sqlite" '.dump points' > "$tmp/dump2"
cmp -s "$tmp/dump1" "$tmp/dump2" || fail "--jobs 2 gives another catalogue than --jobs 1: $(diff "$tmp/dump1" "$tmp/dump2" | head -n 4)"
[ "$(q "$tmp/j2/sweep.sqlite" 'select count(distinct worker) from point_log')" -eq 2 ] \
    || fail "--jobs 2: the points were not shared by 2 workers"
if nm "$lmb" 2> /dev/null | grep -q __asan_init; then
    echo "test_sweep: mpirun skipped in the sanitizer build (Open MPI's own allocations)"
elif ! command -v mpirun > /dev/null; then
    fail "mpirun is missing (openmpi-bin, scripts/install-deps.sh)"
else
    if ! mpirun --allow-run-as-root --oversubscribe -n 2 "$lmb" sweep "$tmp/sweep.json" -o "$tmp/mpi" -q \
        > "$tmp/mpi.out" 2>&1; then
        fail "mpirun -n 2 exited non-zero: $(tail -n 5 "$tmp/mpi.out")"
    fi
    q "$tmp/mpi/sweep.sqlite" '.dump points' > "$tmp/dump_mpi"
    cmp -s "$tmp/dump1" "$tmp/dump_mpi" || fail "mpirun -n 2 gives another catalogue than --jobs 1: $(diff "$tmp/dump1" "$tmp/dump_mpi" | head -n 4)"
    [ "$(q "$tmp/mpi/sweep.sqlite" 'select count(distinct rank) from point_log')" -eq 2 ] \
        || fail "mpirun -n 2: the points were not computed on both ranks"
fi

# ---- SIGKILL half-way, then the same command again ----
"$lmb" sweep "$tmp/sweep.json" -o "$tmp/kill" --jobs 2 > /dev/null 2>&1 &
pid=$!
dbk=$tmp/kill/sweep.sqlite
rows=0
for _ in $(seq 1 2400); do # up to 120 s
    sleep 0.05
    [ -f "$dbk" ] && rows=$(q "$dbk" 'select count(*) from points' 2> /dev/null || echo 0)
    [ "${rows:-0}" -ge $((N / 2)) ] && break
done
kill -KILL "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
killed=$(q "$dbk" 'select count(*) from points')
[ "$killed" -ge $((N / 2)) ] && [ "$killed" -lt "$N" ] || fail "the kill did not land half-way: $killed of $N rows"
[ "$(q "$dbk" 'pragma integrity_check')" = ok ] || fail "the killed catalogue is damaged"
[ "$(q "$dbk" 'select status from runs where run = 1')" = running ] || fail "run 1 is not marked unfinished"
# rows, their point_log entries and run 1's counter were committed together
[ "$(q "$dbk" 'select count(*) from point_log')" -eq "$killed" ] || fail "point_log and points differ after the kill"
[ "$(q "$dbk" 'select computed from runs where run = 1')" -eq "$killed" ] || fail "run 1's counter differs from its rows"
if ! "$lmb" sweep "$tmp/sweep.json" -o "$tmp/kill" --jobs 2 > "$tmp/resume.out" 2> "$tmp/resume.err"; then
    fail "the resumed sweep exited non-zero: $(tail -n 3 "$tmp/resume.err")"
fi
grep -q "computed   $((N - killed)) now ($killed were in the catalogue)" "$tmp/resume.out" \
    || fail "the resumed sweep did not compute exactly the missing $((N - killed)): $(cat "$tmp/resume.out")"
[ "$(q "$dbk" 'select count(*) from points')" -eq "$N" ] || fail "after resuming: $(q "$dbk" 'select count(*) from points') rows"
[ "$(q "$dbk" 'select computed from runs where run = 2')" -eq $((N - killed)) ] || fail "run 2 computed $(q "$dbk" 'select computed from runs where run = 2'), want $((N - killed))"
[ "$(q "$dbk" 'select count(*) from point_log where run = 1')" -eq "$killed" ] || fail "points of run 1 recomputed"
[ "$(q "$dbk" 'select status from runs where run = 2')" = completed ] || fail "run 2 not completed"
q "$dbk" '.dump points' > "$tmp/dump_kill"
cmp -s "$tmp/dump1" "$tmp/dump_kill" || fail "killed and resumed, the catalogue differs from an uninterrupted one: $(diff "$tmp/dump1" "$tmp/dump_kill" | head -n 4)"
# a complete catalogue: nothing to compute
"$lmb" sweep "$tmp/sweep.json" -o "$tmp/kill" -q || fail "re-running a complete sweep exited non-zero"
[ "$(q "$dbk" 'select computed from runs where run = 3')" -eq 0 ] || fail "a complete sweep computed points again"

# ---- SIGINT: the points running finish, exit 130, resumable ----
"$lmb" sweep "$tmp/sweep.json" -o "$tmp/int" --jobs 2 > /dev/null 2> "$tmp/int.err" &
pid=$!
for _ in $(seq 1 600); do
    sleep 0.05
    [ -f "$tmp/int/sweep.sqlite" ] && [ "$(q "$tmp/int/sweep.sqlite" 'select count(*) from points' 2> /dev/null || echo 0)" -ge 20 ] && break
done
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "SIGINT: exit $rc, want 130"
grep -q "run the same command again" "$tmp/int.err" || fail "SIGINT: no resume hint: $(tail -n 2 "$tmp/int.err")"
[ "$(q "$tmp/int/sweep.sqlite" 'select status from runs where run = 1')" = stopped ] || fail "SIGINT: run not marked stopped"

# ---- bad input: one line naming the file and field, exit 2, nothing written ----
bad() { # bad NAME JSON PATTERN
    printf '%s\n' "$2" > "$tmp/$1.json"
    "$lmb" sweep "$tmp/$1.json" -o "$tmp/bad-$1" > /dev/null 2> "$tmp/$1.err"
    local rc=$?
    [ "$rc" -eq 2 ] || fail "$1: exit $rc, want 2"
    [ "$(wc -l < "$tmp/$1.err")" -le 2 ] || fail "$1: more than one message: $(cat "$tmp/$1.err")"
    grep -q "$1.json" "$tmp/$1.err" || fail "$1: the message does not name the file: $(cat "$tmp/$1.err")"
    grep -q -- "$3" "$tmp/$1.err" || fail "$1: the message does not say '$3': $(cat "$tmp/$1.err")"
    [ -e "$tmp/bad-$1/sweep.sqlite" ] && fail "$1: a catalogue was written"
}
bad negative '{"cell": "li-li:bare", "protocol": "cycling.txt", "defaults": {"current_mA_cm2": 1},
  "grid": {"separator.thickness_um": [16, -5]}}' "separator.thickness"
bad unknown_key '{"cell": "li-li:bare", "protocol": "cycling.txt", "grid": {"a": [1]}, "gird": 1}' '"gird"'
bad unknown_param '{"cell": "li-li:bare", "protocol": "cycling.txt", "defaults": {"current_mA_cm2": 1},
  "grid": {"separator.thicknes_um": [16]}}' "separator.thicknes"
bad no_value '{"cell": "li-li:bare", "protocol": "cycling.txt", "grid": {"separator.thickness_um": [16]}}' "{current_mA_cm2}"
bad no_placeholder '{"cell": "li-li:bare", "protocol": "cycling.txt", "grid": {"protocol.rate": [1]}}' "{rate}"
bad bad_unit '{"cell": "li-li:bare", "protocol": "cycling.txt", "defaults": {"current_mA_cm2": 1},
  "grid": {"separator.thickness_parsec": [16]}}' "parsec"
bad two_designs '{"cell": "li-li:bare", "protocol": "cycling.txt", "defaults": {"current_mA_cm2": 1},
  "grid": {"separator.thickness_um": [16]}, "lhs": {"points": 2, "ranges": {}}}' "exactly one design"
bad malformed '{"cell": "li-li:bare",
  "grid": {' "not valid JSON"
bad lhs_range '{"cell": "li-li:bare", "protocol": "cycling.txt", "defaults": {"current_mA_cm2": 1},
  "lhs": {"points": 10, "ranges": {"electrolyte.transference_number": {"from": 0.2, "to": 1.5}}}}' "transference_number"
# a different sweep on an existing catalogue: refused, the catalogue untouched
sed 's/"n": '"$n_por"'/"n": 3/' "$tmp/sweep.json" > "$tmp/other.json"
before=$(q "$db1" 'select count(*) || sum(point) from points')
"$lmb" sweep "$tmp/other.json" -o "$tmp/j1" -q 2> "$tmp/other.err"
rc=$?
[ "$rc" -eq 2 ] || fail "another sweep's catalogue: exit $rc, want 2"
grep -q "fingerprint" "$tmp/other.err" || fail "another sweep's catalogue: $(cat "$tmp/other.err")"
[ "$(q "$db1" 'select count(*) || sum(point) from points')" = "$before" ] || fail "another sweep changed the catalogue"
[ "$(q "$db1" 'select count(*) from runs')" -eq 1 ] || fail "another sweep added a run to the catalogue"

# ---- a list and a Latin hypercube with time series per point ----
cat > "$tmp/lhs.json" << 'J'
{"cell": "li-li:bare", "protocol": "cycling.txt", "timeseries": true,
 "lhs": {"points": 3, "seed": 7, "ranges": {
   "protocol.current_mA_cm2": {"from": 0.5, "to": 2, "scale": "log"},
   "electrolyte.volume_uL": {"from": 10, "to": 40}}}}
J
"$lmb" sweep "$tmp/lhs.json" -o "$tmp/lhs" -q || fail "the LHS sweep exited non-zero"
for p in 0 1 2; do
    [ -s "$tmp/lhs/points/$p/timeseries.bdf.csv" ] && [ -s "$tmp/lhs/points/$p/cycles.csv" ] \
        || fail "no time series of point $p"
done
# the LHS values stay inside their ranges
cur=$(q "$tmp/lhs/sweep.sqlite" 'select group_concat("protocol.current_mA_cm2") from points')
vol=$(q "$tmp/lhs/sweep.sqlite" 'select group_concat("electrolyte.volume_uL") from points')
awk -v c="$cur" -v v="$vol" 'BEGIN { n = split(c, a, ","); m = split(v, b, ",")
    if (n != 3 || m != 3) exit 1
    for (i = 1; i <= 3; i++) if (a[i] < 0.5 || a[i] >= 2 || b[i] < 10 || b[i] >= 40) exit 1 }' \
    || fail "LHS values outside their ranges: current $cur, volume $vol"

finish test_sweep
