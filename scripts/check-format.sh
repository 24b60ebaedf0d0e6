#!/usr/bin/env bash
# check-format.sh - check (or, with --fix, apply) clang-format on lmb's C sources.
#
# The files are every *.c and *.h under include/ src/ tests/ bench/ fuzz/ examples/ tools/ that git
# tracks or that are untracked but not ignored (outside a git work tree: every such file). The
# style is .clang-format at the repository root (LLVM based, 4 spaces, 100 columns).
#
# usage: scripts/check-format.sh          exit 1 and list the files that need formatting
#        scripts/check-format.sh --fix    reformat those files in place
# Environment: CLANG_FORMAT (default clang-format).
set -euo pipefail

cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-clang-format}
dirs=(include src tests bench fuzz examples tools)

fix=0
case "${1:-}" in
"") ;;
--fix) fix=1 ;;
*)
    echo "usage: $0 [--fix]" >&2
    exit 2
    ;;
esac

command -v "$clang_format" >/dev/null 2>&1 ||
    {
        echo "check-format.sh: $clang_format not found (run scripts/install-deps.sh)" >&2
        exit 1
    }

files=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    while IFS= read -r -d '' f; do
        # A tracked file deleted in the work tree is still listed by git; skip it.
        [ -f "$f" ] && files+=("$f")
    done < <(git ls-files -z --cached --others --exclude-standard -- \
        "${dirs[@]/%//*.c}" "${dirs[@]/%//*.h}" | sort -zu)
else
    existing=()
    for d in "${dirs[@]}"; do [ -d "$d" ] && existing+=("$d"); done
    if [ "${#existing[@]}" -gt 0 ]; then
        while IFS= read -r -d '' f; do files+=("$f"); done < <(
            find "${existing[@]}" -type f \( -name '*.c' -o -name '*.h' \) -print0 | sort -z
        )
    fi
fi
[ "${#files[@]}" -eq 0 ] && exit 0

if [ "$fix" -eq 1 ]; then
    "$clang_format" -i --style=file "${files[@]}"
    exit 0
fi

bad=()
for f in "${files[@]}"; do
    "$clang_format" --dry-run -Werror --style=file "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ "${#bad[@]}" -gt 0 ]; then
    echo "check-format.sh: ${#bad[@]} of ${#files[@]} files are not clang-formatted:" >&2
    printf '    %s\n' "${bad[@]}" >&2
    echo "run \`make format\` to reformat them (see \`$clang_format --dry-run FILE\` for the" \
        "changes)" >&2
    exit 1
fi
