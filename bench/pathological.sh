#!/usr/bin/env bash
# pathological.sh -- does extraction stay linear on hostile input?
#
#   bench/pathological.sh [SUMMIT_BIN [SCALE]]
#
# For each pathological input, times `summit extract --dct 2017-07-07` (the
# whole pipeline: extraction, then the in-memory store the text output
# reads) on a 1x and a 2x size and prints the ratio of the times.  Linear
# work gives about 2; 4 or more means a quadratic pass.  Inputs:
#   line      one line without spaces (letters only): 25 MB and 50 MB
#   weekdays  "Friday Friday ...": 0.5 and 1 million names
#   quotes    "said \"yes\" and \"no" ...: unbalanced and nested quote marks
#   titles    "President President ...": 0.5 and 1 million titles
#   dates     "on July 7, 2017, " over and over: many full dates in one sentence
#   meeting   "The leaders met" and then those dates: one event, many dates
#             to choose from (was cubic until the nearest-first search)
# SCALE (default 1) multiplies every size (0.1 for a quick look).  A run over
# BENCH_TIMEOUT seconds (default 120) is stopped and shown as ">T"; the ratio
# is then a lower bound.  Also prints each run's peak memory (GNU time),
# which should stay a small multiple of the input.  Not a test: timings
# depend on the machine.  SUMMIT_BIN defaults to build/summit.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$repo/build/summit}
scale=${2:-1}
limit=${BENCH_TIMEOUT:-120}
[ -x "$bin" ] || { echo "pathological.sh: no program at $bin (build first, or pass its path)" >&2; exit 2; }
tmp=$(mktemp -d /tmp/summit-patho-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# make NAME COUNT FILE: writes COUNT units of input NAME into FILE.
make_input() {
    python3 - "$1" "$2" "$3" <<'EOF'
import sys
name, count, path = sys.argv[1], int(float(sys.argv[2])), sys.argv[3]
unit = {
    "line": None,
    "weekdays": "Friday ",
    "quotes": 'He said "yes and \u201cno\u201d or "maybe ',
    "titles": "President ",
    "dates": "on July 7, 2017, ",
    "meeting": "on July 7, 2017, ",
}[name]
with open(path, "w", encoding="utf-8") as f:
    if name == "meeting":
        f.write("The leaders met ")
    if unit is None:
        alphabet = "abcdefghijklmnopqrstuvwxyz"
        block = alphabet * 40000  # 1.04 MB
        left = count
        while left > 0:
            f.write(block[:left])
            left -= len(block)
    else:
        chunk = unit * 10000
        for _ in range(count // 10000):
            f.write(chunk)
        f.write(unit * (count % 10000))
    f.write("\n")
EOF
}

# time_run FILE: prints "SECONDS PEAK_KB", or ">LIMIT -" when stopped.
time_run() {
    local status=0
    /usr/bin/time -o "$tmp/time" -f '%e %M' timeout "$limit" "$bin" extract --dct 2017-07-07 "$1" \
        >/dev/null 2>"$tmp/err" || status=$?
    if [ "$status" = 124 ]; then
        echo ">$limit -"
    else
        [ "$status" = 0 ] || echo "pathological.sh: $1: exit $status: $(head -c 300 "$tmp/err")" >&2
        tail -n 1 "$tmp/time"
    fi
}

printf '%-9s %12s %9s %10s %12s %9s %10s %7s\n' input size1 time1 peak1 size2 time2 peak2 ratio
for spec in "line 25000000" "weekdays 500000" "quotes 200000" "titles 500000" "dates 200000" "meeting 200000"; do
    set -- $spec
    name=$1
    n1=$(python3 -c "print(int($2 * $scale))")
    n2=$((n1 * 2))
    make_input "$name" "$n1" "$tmp/$name.1"
    make_input "$name" "$n2" "$tmp/$name.2"
    read -r t1 m1 <<<"$(time_run "$tmp/$name.1")"
    read -r t2 m2 <<<"$(time_run "$tmp/$name.2")"
    ratio=$(python3 -c "
t1, t2 = '$t1', '$t2'
if t1.startswith('>'): print('n/a')
elif t2.startswith('>'): print('>%.1f' % (float(t2[1:]) / max(float(t1), 0.01)))
else: print('%.2f' % (float(t2) / max(float(t1), 0.01)))")
    printf '%-9s %11sB %8ss %8sKB %11sB %8ss %8sKB %7s\n' "$name" "$(stat -c %s "$tmp/$name.1")" "$t1" "$m1" \
        "$(stat -c %s "$tmp/$name.2")" "$t2" "$m2" "$ratio"
    rm -f "$tmp/$name.1" "$tmp/$name.2"
done
echo "(ratio ~2: linear; 4 or more: quadratic; sizes x$scale, runs stopped after ${limit}s)"
