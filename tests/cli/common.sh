# common.sh - sourced by the CLI tests: the lmb executable from $1, a temporary directory
# removed at exit, and fail() counting failures (the script ends with `finish NAME`).
set -u
lmb=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
finish() { # finish NAME: exit 1 if anything failed, else say so
    [ "$fails" -eq 0 ] || exit 1
    echo "$1: ok"
}
