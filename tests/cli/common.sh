# common.sh - sourced by the CLI tests: the lmb executable from $1, a temporary directory
# removed at exit, fail() counting failures (the script ends with `finish NAME`), and
# expect_input_error for bad input.
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

# expect_input_error NAME PATTERN CMD...: CMD refuses its input as lmb does: exit 2, nothing on
# stdout, one line on stderr that starts with "lmb: " and matches PATTERN (grep; "" for any).
# The line is left in $input_error for further checks; returns 1 if CMD did not exit 2.
input_error=
expect_input_error() {
    local name=$1 pattern=$2 out rc
    shift 2
    out=$("$@" 2>"$tmp/.input_error")
    rc=$?
    input_error=$(cat "$tmp/.input_error")
    [ "$rc" -eq 2 ] || {
        fail "$name: exit $rc, not 2 ($input_error)"
        return 1
    }
    [ "$(wc -l <"$tmp/.input_error")" -eq 1 ] || fail "$name: stderr is not one line: $input_error"
    case $input_error in
    "lmb: "*) ;;
    *) fail "$name: stderr does not start with 'lmb: ': $input_error" ;;
    esac
    grep -q -- "$pattern" <<<"$input_error" || fail "$name: '$input_error' does not match '$pattern'"
    [ -z "$out" ] || fail "$name: unexpected stdout: $out"
    return 0
}
