#!/usr/bin/env bash
# fuzz.sh -- builds the libFuzzer targets with clang and runs each one.
#
#   scripts/fuzz.sh [SECONDS [BUILD_DIR]]
#
# SECONDS per target (default 60); BUILD_DIR (default build-fuzz in the checkout) holds
# the build, the growing corpora (corpus/<target>), crash inputs
# (crashes/<target>/) and logs (logs/<target>.log).  Seeds from fixtures/ and
# fuzz/seeds/ are read alongside the corpus and never written.
# Environment:
#   FUZZ_TARGETS   targets to run (default "fuzz_extract fuzz_dct fuzz_csv")
#   FUZZ_PARALLEL  1 runs the targets at the same time (default: one by one)
#   FUZZ_MAX_LEN   -max_len (default 65536)
#   FUZZ_ARGS      extra libFuzzer flags
# Prints executions and coverage per target; exits 1 when any target found a
# crash, a leak, a timeout (-timeout=30 s per input) or ran out of memory.
# Long runs and turning a crash into a regression case: docs/fuzzing.md.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
dir=${2:-$repo/build-fuzz}
targets=${FUZZ_TARGETS:-fuzz_extract fuzz_dct fuzz_csv}
max_len=${FUZZ_MAX_LEN:-65536}
case $secs in '' | *[!0-9]*) echo "fuzz.sh: SECONDS must be a number, not '$secs'" >&2; exit 2 ;; esac
command -v clang >/dev/null || { echo "fuzz.sh: clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

echo "== fuzz build in $dir"
CC=clang cmake -S "$repo" -B "$dir" -DSUMMIT_FUZZ=ON -DSUMMIT_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target fuzz_seeds $targets >/dev/null

run_one() { # target -> runs it, output in logs/<target>.log
    local t=$1 short=${1#fuzz_} dict=()
    mkdir -p "$dir/corpus/$t" "$dir/crashes/$t" "$dir/logs"
    [ "$t" != fuzz_dct ] && dict=(-dict="$repo/fuzz/summit.dict")
    # shellcheck disable=SC2086
    "$dir/fuzz/$t" -max_total_time="$secs" -max_len="$max_len" -timeout=30 -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$dir/crashes/$t/" "${dict[@]}" ${FUZZ_ARGS:-} \
        "$dir/corpus/$t" "$dir/fuzz/seeds/$short" >"$dir/logs/$t.log" 2>&1
}

declare -A status
if [ "${FUZZ_PARALLEL:-0}" = 1 ]; then
    declare -A pids
    for t in $targets; do
        echo "== $t: $secs s (in parallel)"
        run_one "$t" & pids[$t]=$!
    done
    for t in $targets; do
        if wait "${pids[$t]}"; then status[$t]=0; else status[$t]=$?; fi
    done
else
    for t in $targets; do
        echo "== $t: $secs s"
        if run_one "$t"; then status[$t]=0; else status[$t]=$?; fi
    done
fi

fail=0
echo "== results"
for t in $targets; do
    log=$dir/logs/$t.log
    # The last status line: "#N DONE cov: X ft: Y corp: C/SIZE ...", or the
    # last progress line when the run stopped on a crash.
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=$(sed -E -n 's/^#([0-9]+).*/\1/p' <<<"$last")
    cov=$(sed -E -n 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
    ft=$(sed -E -n 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
    corp=$(sed -E -n 's#.* corp: ([0-9]+(/[0-9A-Za-z]+)?).*#\1#p' <<<"$last")
    found=$(find "$dir/crashes/$t" -type f | wc -l)
    printf '%-13s %6ss  executions %-10s cov %-6s ft %-7s corpus %-12s crash inputs %s  exit %s\n' \
        "$t" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found" "${status[$t]}"
    if [ "${status[$t]}" != 0 ] || [ "$found" != 0 ]; then
        fail=1
        echo "   $t FAILED; log: $log; inputs in $dir/crashes/$t/:"
        grep -E 'ERROR: |SUMMARY: |invariant failed|runtime error' "$log" | head -n 5 | sed 's/^/   /'
        find "$dir/crashes/$t" -type f | head -n 5 | sed 's/^/   /'
    fi
done
[ "$fail" = 0 ] && echo "fuzz.sh: no crashes" || echo "fuzz.sh: crashes found (see docs/fuzzing.md)" >&2
exit "$fail"
