#!/usr/bin/env bash
# fuzz-readers.sh - run the libFuzzer target of every cycler-file reader (fuzz/fuzz_record_*.c)
# for SECONDS each, JOBS at a time, seeded with the real files of the shared data.
#
# usage: fuzz-readers.sh FUZZ_DIR SECONDS JOBS BUILD_DIR
# The shared directory is LMB_SHARED_DIR if set, else the one CMake found for BUILD_DIR
# (CMakeCache.txt), so a clone anywhere uses the same data as its tests.
set -euo pipefail
fuzz_dir=$1 secs=$2 jobs=$3 build_dir=$4
shared=${LMB_SHARED_DIR:-}
if [ -z "$shared" ] && [ -f "$build_dir/CMakeCache.txt" ]; then
    shared=$(sed -n 's/^LMB_SHARED_DIR:PATH=//p' "$build_dir/CMakeCache.txt")
fi
data=${shared:-../shared}/data
[ -d "$data/cycler" ] || {
    echo "fuzz-readers.sh: no shared data in $data (set LMB_SHARED_DIR)" >&2
    exit 1
}
# the seeds of each reader: the files of its format
seeds() {
    case $1 in
    fuzz_record_mpr) ls "$data"/cycler/*.mpr "$data"/eis/*.mpr ;;
    fuzz_record_mpt) ls "$data"/eis/*.mpt "$data"/cycler/biologic_*.txt ;;
    fuzz_record_mps) ls "$data"/cycler/*.mps ;;
    fuzz_record_bdf) ls "$data"/cycler/bdf_csv__* ;;
    fuzz_record_arbin) ls "$data"/cycler/arbin_csv__* ;;
    fuzz_record_maccor) ls "$data"/cycler/maccor_text__* ;;
    fuzz_record_neware) ls "$data"/cycler/neware_csv__* ;;
    fuzz_record_landt) ls "$data"/cycler/landt_csv__* ;;
    *) ls "$data"/cycler/* "$data"/eis/* ;;
    esac
}
# xargs appends "NAME SEED..." to: fuzz-run.sh FUZZ_DIR SECONDS; the inner call reorders them
here=$(dirname "$0")
for src in fuzz/fuzz_record_*.c; do
    name=$(basename "$src" .c)
    # one line per target (xargs -L would join a line that ends in a blank to the next)
    echo "$name" $(seeds "$name")
done | xargs -P "$jobs" -L 1 bash -c 'bash "$0" "$1" "$3" "$2" "${@:4}"' "$here/fuzz-run.sh" \
    "$fuzz_dir" "$secs"
