#!/usr/bin/env bash
# test_report.sh - the HTML reports of `lmb reproduce` and `lmb analyze`, opened in headless
# Chromium: every figure drew (the report's own load script counts the figures whose inline SVG
# has a non-empty box and more than 5 drawn elements, into <body data-figures-ok> beside the
# generator's data-figures), no script error, no console message, nothing fetched from the
# network, and a screenshot kept in the build tree (report-screenshot.png, and
# report-analyze-screenshot.png) for a human to look at.
#
# Static checks of the file come first: every <figure class="lmb-figure"> holds one inline <svg>
# and a <figcaption> and their number is data-figures; ids are unique in the page (SVGs drawn
# apart and inlined together must not share glyph and clip ids: a <use href="#glyph0-1"> takes
# the first element of the document with that id, so a later figure would show the glyphs or
# clip of an earlier one); one inline script; no src/href/url() to http(s). Chromium itself
# cannot tell a console.error from a console.log on stderr (it logs every page message as
# INFO:CONSOLE), so any console message fails; its network log (--log-net-log) shows every
# request the page made, which must be none beyond file: and data: (Chromium's own background
# requests have no file:// isolation key and are ignored; no name resolves, so none leaves).
# A negative control breaks a copy of the analyze report (a hidden figure, a script error, a
# remote image) and checks that each of these checks sees it.
#
# Needs Debian's chromium (scripts/install-deps.sh); fails, not skips, without it.
# Usage: test_report.sh LMB SOURCE_DIR SHARED_DIR
source "$(dirname "$0")/common.sh"
data=${3:?usage: test_report.sh LMB SOURCE_DIR SHARED_DIR}/data
[ -d "$data/cycler" ] || { echo "FAIL: no cycler files in $data (set LMB_SHARED_DIR)"; exit 1; }
command -v chromium > /dev/null 2>&1 ||
    { echo "FAIL: no chromium (scripts/install-deps.sh installs Debian's chromium)"; exit 1; }
keep=$PWD # ctest runs the CLI tests in the build tree: the screenshots stay there
mkdir -p "$tmp/home"

# render HTML NAME: HTML opened in headless Chromium; the DOM after the page's load script in
# $tmp/NAME.dom, Chromium's stderr in $tmp/NAME.log, its network log in $tmp/NAME.net.json, a
# 1280x4000 screenshot in $tmp/NAME.png. The sanitizer options of the ASan suite are for the
# sanitized lmb, not for Chromium; HOME and XDG point into $tmp so nothing is left in ~.
# --virtual-time-budget lets the page's timers run (10 s of page time) before the dump.
render() {
    local t0=$SECONDS rc
    env -u ASAN_OPTIONS -u LSAN_OPTIONS -u UBSAN_OPTIONS HOME="$tmp/home" \
        XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache" \
        timeout 120 chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --user-data-dir="$tmp/profile-$2" --host-resolver-rules="MAP * ~NOTFOUND" \
        --log-net-log="$tmp/$2.net.json" --virtual-time-budget=10000 --enable-logging=stderr \
        --v=0 --window-size=1280,4000 --screenshot="$tmp/$2.png" --dump-dom "file://$1" \
        > "$tmp/$2.dom" 2> "$tmp/$2.log"
    rc=$?
    echo "$2: chromium took $((SECONDS - t0)) s"
    if [ "$rc" -eq 124 ]; then
        fail "$2: chromium did not finish within 120 s"
    elif [ "$rc" -ne 0 ]; then
        fail "$2: chromium exited $rc: $(tail -n 5 "$tmp/$2.log")"
    fi
    [ "$rc" -eq 0 ]
}

# body_attr NAME ATTR: the value of <body ATTR="..."> in the DOM of NAME; exit 1 if absent
body_attr() {
    local tag
    tag=$(grep -o '<body[^>]*>' "$tmp/$1.dom" | head -n 1)
    [[ $tag =~ [[:space:]]$2=\"([^\"]*)\" ]] || return 1
    printf '%s\n' "${BASH_REMATCH[1]}"
}

oneline() { tr '\n' ' ' | sed 's/ $//'; }

# console_lines NAME: the page's console messages and uncaught errors in Chromium's stderr
console_lines() { grep -E ':CONSOLE[:(]|Uncaught' "$tmp/$1.log"; }

# remote_requests NAME: the URLs the page (a frame of file://) asked for other than file: and
# data:, from the network log (one event a line)
remote_requests() {
    grep '"network_isolation_key":"file://' "$tmp/$1.net.json" | grep -o '"url":"[^"]*"' |
        sed 's/^"url":"//; s/"$//' | grep -Ev '^(file|data):' | sort -u
}

# check_html HTML NAME: the file itself (before any browser): figures, ids, script, no remote URL
check_html() {
    local html=$1 name=$2 n want dup bad
    [ -s "$html" ] || { fail "$name: no report at $html"; return 1; }
    n=$(grep -o '<figure class="lmb-figure" id="fig-[^"]*"' "$html" | wc -l)
    want=$(grep -o '<body[^>]*data-figures="[0-9]*"' "$html" | sed 's/.*data-figures="//; s/"$//')
    [ -n "$want" ] || fail "$name: <body> has no data-figures"
    [ "$n" = "$want" ] ||
        fail "$name: $n <figure class=\"lmb-figure\" id=\"fig-...\">, but data-figures=\"$want\""
    # each figure: one <svg ...>...</svg> and one <figcaption>
    bad=$(awk 'BEGIN { RS = "</figure>" }
        /<figure class="lmb-figure"/ {
            s = $0; sub(/.*<figure class="lmb-figure"/, "", s)
            id = s; sub(/^ id="/, "", id); sub(/".*/, "", id)
            o = gsub(/<svg[ >]/, "&", s); c = gsub(/<\/svg>/, "&", s)
            f = gsub(/<figcaption[ >]/, "&", s)
            if (o != 1 || c != 1 || f != 1)
                printf "%s (%d <svg>, %d </svg>, %d <figcaption>) ", id, o, c, f
        }' "$html")
    [ -z "$bad" ] || fail "$name: figures without exactly one svg and one figcaption: $bad"
    dup=$(grep -o '[[:space:]]id="[^"]*"' "$html" | sed 's/^[[:space:]]*//' | sort | uniq -d |
        head -n 5)
    [ -z "$dup" ] ||
        fail "$name: ids used twice in the page (figures must prefix SVG ids): $(oneline <<< "$dup")"
    n=$(grep -o '<script' "$html" | wc -l)
    [ "$n" -eq 1 ] || fail "$name: $n <script> elements, expected the one inline script"
    ! grep -q '<script[^>]*src=' "$html" ||
        fail "$name: a script with src= (the report must be self-contained)"
    bad=$(grep -Eio "(src|href)=[\"']?https?:[^\"' >]*|url\([\"']?https?:[^)]*" "$html" | head -n 3)
    [ -z "$bad" ] || fail "$name: refers to the network: $(oneline <<< "$bad")"
    bad=$(grep -Eio "src=[\"']?[^\"' >]*" "$html" | grep -Eiv "^src=[\"']?(data:|#|https?:)" |
        head -n 3)
    [ -z "$bad" ] ||
        fail "$name: loads a file (the report must be self-contained): $(oneline <<< "$bad")"
}

# check_render NAME MIN: the DOM after load says all figures drew, at least MIN of them; no
# script error, console message or remote request; a PNG screenshot
check_render() {
    local name=$1 min=$2 figs ok bad err lines magic
    [ "$(body_attr "$name" data-checked)" = 1 ] ||
        fail "$name: the report's load script did not run (no data-checked=\"1\" on <body>)"
    figs=$(body_attr "$name" data-figures) || fail "$name: no data-figures on <body>"
    ok=$(body_attr "$name" data-figures-ok) || fail "$name: no data-figures-ok on <body>"
    bad=$(body_attr "$name" data-figures-bad) || fail "$name: no data-figures-bad on <body>"
    if [ "$ok" != "$figs" ]; then
        fail "$name: $ok of $figs figures drew; not drawn (data-figures-bad): $bad"
    elif [ -n "$bad" ]; then
        fail "$name: all $figs figures counted as drawn, yet data-figures-bad=\"$bad\""
    fi
    [ "${figs:-0}" -ge "$min" ] 2> /dev/null || fail "$name: $figs figures, expected at least $min"
    if err=$(body_attr "$name" data-js-errors) && [ "$err" != 0 ]; then
        fail "$name: $err script errors (data-js-errors)"
    fi
    lines=$(console_lines "$name")
    [ -z "$lines" ] || fail "$name: console messages:
$lines"
    [ -s "$tmp/$name.net.json" ] || fail "$name: chromium wrote no network log"
    lines=$(remote_requests "$name")
    [ -z "$lines" ] || fail "$name: the page requested $(oneline <<< "$lines")"
    magic=$(head -c 8 "$tmp/$name.png" 2> /dev/null | od -An -tx1 | tr -d ' \n')
    [ "$magic" = 89504e470d0a1a0a ] || fail "$name: the screenshot is not a PNG (starts ${magic:-empty})"
}

# lmb reproduce (the calibration experiments, the longest part) runs in the background while
# the analyze report is checked
t_start=$SECONDS
"$lmb" reproduce --calibration-only -o "$tmp/r" -q > /dev/null 2> "$tmp/reproduce.err" &
reproduce_pid=$!
trap 'kill "$reproduce_pid" 2> /dev/null; rm -rf "$tmp"' EXIT # common.sh's, and the run's end

# lmb analyze of a real record (five cycles of a NaCoO2 coin cell)
if "$lmb" analyze "$data/cycler/biologic_gcpl_NaCoO2_coin_5cyc__datalab.mpr" -o "$tmp/a" -q \
    > /dev/null 2> "$tmp/analyze.err"; then
    check_html "$tmp/a/report.html" analyze &&
        render "$tmp/a/report.html" analyze && check_render analyze 1
    [ -s "$tmp/analyze.png" ] && cp "$tmp/analyze.png" "$keep/report-analyze-screenshot.png"
else
    fail "lmb analyze exited non-zero: $(cat "$tmp/analyze.err")"
fi

# negative control: a copy of the analyze report with its first figure's SVG hidden, a script
# error after load and an image from the network; each check above must see its fault (on a
# report that passed them)
if [ "$fails" -ne 0 ]; then
    echo "negative control skipped: the analyze report already fails"
elif [ -s "$tmp/a/report.html" ]; then
    first=$(grep -o '<figure class="lmb-figure" id="[^"]*"' "$tmp/a/report.html" | head -n 1 |
        sed 's/.*id="//; s/"$//')
    # the first <svg after the first figure's start gets display:none (the first of two style
    # attributes wins); before </body>, the image and the script
    inject='<img src="http://lmb-report-test.invalid/x.png"><script>addEventListener("load",'
    inject+=' function () { setTimeout(function () { null.lmbTestError(); }, 100); });</script>'
    awk '!done {
            i = index($0, "<figure class=\"lmb-figure\"")
            if (i || seen) {
                pre = seen ? "" : substr($0, 1, i - 1); rest = seen ? $0 : substr($0, i); seen = 1
                j = index(rest, "<svg")
                if (j) {
                    rest = substr(rest, 1, j - 1) "<svg style=\"display:none\"" substr(rest, j + 4)
                    done = 1
                }
                $0 = pre rest
            } }
         { print }' "$tmp/a/report.html" | sed "s|</body>|$inject&|" > "$tmp/broken.html"
    if [ -n "$first" ] && render "$tmp/broken.html" broken; then
        figs=$(body_attr broken data-figures)
        ok=$(body_attr broken data-figures-ok)
        bad=$(body_attr broken data-figures-bad)
        err=$(body_attr broken data-js-errors)
        [ "$ok" = "$((figs - 1))" ] ||
            fail "negative control: a hidden figure counted as drawn (data-figures-ok=$ok of $figs)"
        [ "$bad" = "$first" ] ||
            fail "negative control: data-figures-bad=\"$bad\", expected \"$first\""
        [ "$err" = 1 ] ||
            fail "negative control: a script error not counted (data-js-errors=\"$err\")"
        console_lines broken | grep -q 'Uncaught.*lmbTestError' ||
            fail "negative control: the uncaught error is not on chromium's stderr"
        remote_requests broken | grep -q '^http://lmb-report-test.invalid/x.png$' ||
            fail "negative control: the remote image is not in the network log"
    else
        fail "negative control: no figure in the analyze report, or chromium failed"
    fi
fi

# the reproduce report: at least one figure per experiment, an experiment being a directory of
# simulated results
wait "$reproduce_pid"
reproduce_rc=$?
trap 'rm -rf "$tmp"' EXIT # the pid is free again: kill nothing at exit
echo "reproduce: lmb done after $((SECONDS - t_start)) s"
if [ "$reproduce_rc" -eq 0 ]; then
    n_exp=$(find "$tmp/r" -mindepth 2 -maxdepth 2 \
        \( -name timeseries.bdf.csv -o -name cycles.csv \) -printf '%h\n' | sort -u | wc -l)
    [ "$n_exp" -ge 1 ] || fail "reproduce: no experiment directories in its output"
    check_html "$tmp/r/report.html" reproduce &&
        render "$tmp/r/report.html" reproduce && check_render reproduce "$n_exp"
    [ -s "$tmp/reproduce.png" ] && cp "$tmp/reproduce.png" "$keep/report-screenshot.png"
else
    fail "lmb reproduce --calibration-only exited $reproduce_rc: $(cat "$tmp/reproduce.err")"
fi

finish test_report
