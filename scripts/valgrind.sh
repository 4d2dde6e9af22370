#!/usr/bin/env bash
# valgrind.sh -- memcheck over the fixture pipeline: no errors, no leaks.
#
#   scripts/valgrind.sh [BUILD_DIR]
#
# Builds summit without sanitizers in BUILD_DIR (default build-valgrind in the checkout;
# an existing build there is reused) and runs under
#   valgrind --leak-check=full --error-exitcode=1
#   1. `summit ingest --db <temp>/t.db fixtures/*.txt` (all fixtures, one run);
#   2. `summit chronology` and `summit export` of that database;
#   3. `summit extract --format jsonl` of each fixture.
# Memory still reachable at exit (ICU's caches, the process-wide lexicon) is
# not a leak; definite and possible leaks and every memory error are, except
# the ICU objects the extractor keeps for the whole process on purpose
# (scripts/valgrind.supp says which and why).  Logs
# go to BUILD_DIR/valgrind/; the script prints one line per run and exits 1
# when any run had errors or leaks.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo/build-valgrind}
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }

echo "== build in $dir"
cmake -S "$repo" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUMMIT_TESTS=OFF -DSUMMIT_SANITIZE=OFF >/dev/null
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target summit >/dev/null
bin=$dir/summit
logs=$dir/valgrind
rm -rf "$logs"
mkdir -p "$logs"
tmp=$(mktemp -d /tmp/summit-valgrind-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC LC_ALL=C

fail=0
n=0
# vg NAME ARGS...: runs summit ARGS under memcheck, log in $logs/NAME.log.
vg() {
    local name=$1 status=0
    shift
    n=$((n + 1))
    valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,possible \
        --suppressions="$repo/scripts/valgrind.supp" --num-callers=40 --track-origins=yes \
        --error-exitcode=99 --log-file="$logs/$name.log" \
        "$bin" "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
    local errors leaks
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$logs/$name.log" | tail -n 1)
    leaks=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$logs/$name.log" | tail -n 1)
    if [ "$status" = 99 ] || [ "${errors:-0}" != 0 ]; then
        fail=1
        echo "FAIL $name: ${errors:-?} errors, definitely lost ${leaks:-0} bytes (log: $logs/$name.log)"
        grep -E '^==[0-9]+== (Invalid|Conditional|Use of|Syscall|Mismatched|[0-9,]+ bytes in)' "$logs/$name.log" |
            head -n 5 | sed 's/^/     /'
    elif [ "$status" != 0 ]; then
        fail=1
        echo "FAIL $name: summit exited $status: $(head -c 300 "$tmp/err")"
    else
        echo "ok   $name: 0 errors, definitely lost ${leaks:-0} bytes"
    fi
}

fixtures=("$repo"/fixtures/*.txt)
echo "== memcheck: ingest of ${#fixtures[@]} fixtures, chronology, export, extract of each"
vg ingest ingest --db "$tmp/t.db" "${fixtures[@]}"
vg chronology chronology --db "$tmp/t.db"
vg export-csv export --db "$tmp/t.db" --format csv
vg export-jsonl export --db "$tmp/t.db" --format jsonl
for f in "${fixtures[@]}"; do
    vg "extract-$(basename "$f" .txt)" extract --format jsonl "$f"
done
if [ "$fail" = 0 ]; then
    echo "valgrind.sh: $n runs, no memory errors, no leaks"
else
    echo "valgrind.sh: memory errors or leaks (logs in $logs)" >&2
fi
exit "$fail"
