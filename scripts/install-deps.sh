#!/usr/bin/env bash
# install-deps.sh - install the Debian 12 packages that building and testing lmb needs.
#
# Idempotent: each package is checked with dpkg-query first, and when all of them are present
# the script prints nothing and exits 0, so `make` can call it on every run. Otherwise it says
# which packages it installs, runs `apt-get update` once and installs only the missing ones.
# Works as root without a terminal (CI); as another user it goes through sudo, and fails with a
# clear message when sudo is not there. docs/building.md says why each package is needed.
#
# Environment: LMB_EXTRA_PACKAGES="pkg ..." adds packages to the list.
set -euo pipefail

# Build tools.
tools=(
    cmake make gcc pkg-config
    clang clang-format libclang-rt-14-dev # fuzz targets (libFuzzer) and the format check
    valgrind
    chromium fonts-dejavu-core # the report test: headless Chromium opens the HTML reports
    sqlite3                    # the sweep tests read the catalogues with the sqlite3 shell
    openmpi-bin                # mpirun: lmb sweep across machines (and its test on one)
)
# Libraries, with their headers.
libs=(
    libsundials-dev    # IDA (DAE solver), band and KLU linear solvers
    libsuitesparse-dev # KLU sparse direct solver
    libgsl-dev         # least squares, splines, special functions
    libcjson-dev       # JSON cell files
    libcmocka-dev      # unit tests
    libsqlite3-dev     # results stores of sweeps
    libopenmpi-dev     # lmb sweep under mpirun (Open MPI)
    libplplot-dev plplot-driver-cairo # figures (SVG through cairo)
)
# shellcheck disable=SC2206 # word splitting of the extra list is intended
wanted=("${tools[@]}" "${libs[@]}" ${LMB_EXTRA_PACKAGES:-})

is_installed() {
    # Status is "install ok installed" (or "hold ok installed"); a removed package whose
    # configuration files remain reports "deinstall ok config-files" and counts as missing.
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'
}

missing=()
for pkg in "${wanted[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

die() {
    echo "install-deps.sh: $*" >&2
    exit 1
}

command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found; install these packages by hand: ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    # Without a terminal sudo cannot ask for a password: fail at once instead of hanging.
    if [ -t 0 ]; then as_root=(sudo); else as_root=(sudo -n); fi
else
    die "missing packages: ${missing[*]}
not running as root and sudo is not available; run as root:
    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
fi

echo "install-deps.sh: installing missing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run instead of failing; plain dpkg output without progress bars.
apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0)
"${as_root[@]}" apt-get "${apt_opts[@]}" -qq update ||
    die "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get "${apt_opts[@]}" -qq install -y --no-install-recommends "${missing[@]}" </dev/null ||
    die "apt-get install failed for: ${missing[*]}"

still=()
for pkg in "${missing[@]}"; do
    is_installed "$pkg" || still+=("$pkg")
done
[ "${#still[@]}" -eq 0 ] || die "still missing after apt-get install: ${still[*]}"
echo "install-deps.sh: installed ${missing[*]}"
