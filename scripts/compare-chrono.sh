#!/usr/bin/env bash
# compare-chrono.sh -- compares summit's time expressions with chrono-node's on
# the dev set (fixtures/NAME.txt with NAME.gold.json) and times both.
#
#   scripts/compare-chrono.sh [--detail] [SUMMIT_BIN]
#
# * chrono-node@2 is installed with npm into a cache folder outside the repo,
#   ${SUMMIT_PEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/summit-peers}, once.
# * The peer runner chrono_cli.mjs is copied there from $PEERS_DIR, by default
#   ../shared/peers next to the repo root.
# * SUMMIT_BIN (argument, else the SUMMIT_BIN variable) is the summit program;
#   without it summit is built with cmake in ${TMPDIR:-/tmp}/summit-compare-build.
# * Both systems run on every fixture with the gold's DCT; scripts/score_timex.mjs
#   scores them the way tests/test_fixtures.c does and prints the table.
#   --detail also lists every FP, FN and wrong value.
# * Timing: the wall time of one process per text for each system (the median
#   over TIMING_RUNS runs of the whole dev set, default 3), chrono's parse time
#   measured inside node (startup and import excluded), and summit's startup
#   and one-process time.
# * COMPARE_OUT=DIR keeps the JSON Lines outputs in DIR (otherwise a temporary
#   folder, removed at exit).
# Needs node (>= 18) and npm; works from any directory; writes nothing in the repo.
set -euo pipefail
export LC_ALL=C

err() { printf 'compare-chrono: error: %s\n' "$*" >&2; }
die() { err "$@"; exit 1; }
note() { printf 'compare-chrono: %s\n' "$*" >&2; }

detail=()
summit_bin=${SUMMIT_BIN:-}
while [ $# -gt 0 ]; do
  case $1 in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --detail) detail=(--detail) ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "${positional:-}" ] || die "too many arguments (see --help)"; positional=1; summit_bin=$1 ;;
  esac
  shift
done

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$script_dir/.." && pwd -P)
fixtures=$repo/fixtures
scorer=$script_dir/score_timex.mjs
peers_dir=${PEERS_DIR:-$repo/../shared/peers}
cache=${SUMMIT_PEER_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/summit-peers}
runs_n=${TIMING_RUNS:-3}

# ---- prerequisites --------------------------------------------------------
command -v node >/dev/null 2>&1 || die "node is not installed or not on PATH (Node.js >= 18 is needed: apt-get install nodejs npm, or https://nodejs.org)"
command -v npm >/dev/null 2>&1 || die "npm is not installed or not on PATH (it installs chrono-node: apt-get install npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || die "'node' does not run"
[ "$node_major" -ge 18 ] 2>/dev/null || die "node $(node --version) is too old; Node.js >= 18 is needed"
[ -f "$scorer" ] || die "missing $scorer"
[ -d "$fixtures" ] || die "missing fixtures folder $fixtures"
[[ $runs_n =~ ^[1-9][0-9]*$ ]] || die "TIMING_RUNS must be a positive integer, not '$runs_n'"
[ -f "$peers_dir/chrono_cli.mjs" ] || die "cannot find chrono_cli.mjs in $peers_dir (set PEERS_DIR to the folder that holds it)"

# ---- summit -----------------------------------------------------------------
if [ -z "$summit_bin" ]; then
  command -v cmake >/dev/null 2>&1 || die "no SUMMIT_BIN given and cmake is not installed to build summit (scripts/install-deps.sh installs it)"
  build_dir=${TMPDIR:-/tmp}/summit-compare-build
  note "building summit in $build_dir"
  cmake -S "$repo" -B "$build_dir" -DSUMMIT_TESTS=OFF >/dev/null || die "cmake configure failed"
  cmake --build "$build_dir" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null || die "cmake build failed"
  summit_bin=$build_dir/summit
fi
case $summit_bin in */*) ;; *) summit_bin=$(command -v "$summit_bin" || echo "$summit_bin") ;; esac
[ -x "$summit_bin" ] && [ -f "$summit_bin" ] || die "summit program '$summit_bin' does not exist or is not executable"
summit_bin=$(cd "$(dirname "$summit_bin")" && pwd -P)/$(basename "$summit_bin")

# ---- chrono-node in the cache ----------------------------------------------
mkdir -p "$cache" || die "cannot create the cache folder $cache"
chrono_version() { node -p 'require(process.argv[1]).version' "$cache/node_modules/chrono-node/package.json" 2>/dev/null || true; }
have=$(chrono_version)
if [[ $have != 2.* ]]; then
  note "installing chrono-node@2 into $cache (npm)"
  (cd "$cache" && npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$cache" chrono-node@2 >&2) ||
    die "npm install chrono-node@2 failed (is the npm registry reachable?)"
  have=$(chrono_version)
  [[ $have == 2.* ]] || die "chrono-node@2 is not in $cache/node_modules after npm install"
fi
cmp -s "$peers_dir/chrono_cli.mjs" "$cache/chrono_cli.mjs" 2>/dev/null || cp "$peers_dir/chrono_cli.mjs" "$cache/chrono_cli.mjs" ||
  die "cannot copy chrono_cli.mjs into $cache"

# In-process timing of chrono's parse, with the options chrono_cli.mjs uses.
cat >"$cache/chrono_bench.mjs" <<'EOF'
// node chrono_bench.mjs DCT FILE [DCT FILE ...]  (DCT "-" = none): prints one JSON object
const t0 = performance.now(); // node startup, measured from the process's time origin
const chrono = await import('chrono-node');
const t1 = performance.now();
const fs = await import('node:fs');
const a = process.argv.slice(2);
const docs = [];
for (let i = 0; i + 1 < a.length; i += 2) {
  const buf = fs.readFileSync(a[i + 1]);
  docs.push({ text: buf.toString('utf8'), bytes: buf.length,
              ref: a[i] !== '-' ? new Date(a[i] + 'T12:00:00Z') : new Date() });
}
const pass = () => {
  let n = 0;
  for (const d of docs) n += chrono.en.casual.parse(d.text, { instant: d.ref, timezone: 'UTC' }).length;
  return n;
};
let s = performance.now();
const results = pass();
const cold = performance.now() - s;
let passes = 0;
s = performance.now();
while (passes < 5 || (performance.now() - s < 2000 && passes < 1000)) { pass(); passes++; }
const warm = (performance.now() - s) / passes;
console.log(JSON.stringify({ startup_import_ms: t1, import_ms: t1 - t0, cold_ms: cold, warm_ms: warm, passes, results,
  bytes: docs.reduce((x, d) => x + d.bytes, 0), chrono_version: process.env.CHRONO_VERSION || null }));
EOF

# ---- the fixtures -------------------------------------------------------------
if [ -n "${COMPARE_OUT:-}" ]; then
  out=$COMPARE_OUT
  mkdir -p "$out" || die "cannot create $out"
else
  out=$(mktemp -d "${TMPDIR:-/tmp}/compare-chrono.XXXXXX") || die "mktemp failed"
  trap 'rm -rf "$out"' EXIT
fi

# name<TAB>dct for every gold file with its text ("-" when the gold has no dct)
list=$(node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  const names = fs.readdirSync(dir).filter(f => f.endsWith(".gold.json")).map(f => f.slice(0, -10)).sort();
  for (const n of names) {
    let g;
    try { g = JSON.parse(fs.readFileSync(path.join(dir, n + ".gold.json"), "utf8")); }
    catch (e) { console.error(`${n}.gold.json: ${e.message}`); process.exit(1); }
    if (!fs.existsSync(path.join(dir, n + ".txt"))) { console.error(`${n}.gold.json has no ${n}.txt`); process.exit(1); }
    const d = g.dct;
    if (d != null && !/^\d{4}-\d{2}-\d{2}$/.test(d)) { console.error(`${n}.gold.json: dct "${d}" is not YYYY-MM-DD`); process.exit(1); }
    console.log(`${n}\t${d ?? "-"}`);
  }' "$fixtures") || die "cannot read the gold files in $fixtures"
[ -n "$list" ] || die "no *.gold.json in $fixtures"

names=() dcts=()
while IFS=$'\t' read -r n d; do names+=("$n"); dcts+=("$d"); done <<<"$list"
nfiles=${#names[@]}
bytes=0
for n in "${names[@]}"; do bytes=$((bytes + $(wc -c <"$fixtures/$n.txt"))); done

# microseconds since the epoch (bash 5 has EPOCHREALTIME; date otherwise)
if [ -n "${EPOCHREALTIME:-}" ]; then now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }
else now_us() { date +%s%6N; }; fi

run_chrono() { # name dct
  local dctarg=()
  [ "$2" = - ] || dctarg=(--dct "$2")
  node "$cache/chrono_cli.mjs" extract --format jsonl "${dctarg[@]}" "$fixtures/$1.txt" >"$out/$1.chrono.jsonl" 2>"$out/$1.chrono.err" ||
    { err "chrono failed on $1:"; cat "$out/$1.chrono.err" >&2; exit 1; }
}
run_summit() { # name dct
  local dctarg=()
  [ "$2" = - ] || dctarg=(--dct "$2")
  "$summit_bin" extract "${dctarg[@]}" --format jsonl "$fixtures/$1.txt" >"$out/$1.summit.jsonl" 2>"$out/$1.summit.err" ||
    { err "summit failed on $1:"; cat "$out/$1.summit.err" >&2; exit 1; }
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

note "running chrono-node $have and $summit_bin on $nfiles fixtures ($runs_n timing run(s))"
chrono_times=() summit_times=()
for ((r = 0; r < runs_n; r++)); do
  t0=$(now_us)
  for ((i = 0; i < nfiles; i++)); do run_chrono "${names[i]}" "${dcts[i]}"; done
  t1=$(now_us)
  for ((i = 0; i < nfiles; i++)); do run_summit "${names[i]}" "${dcts[i]}"; done
  t2=$(now_us)
  chrono_times+=($((t1 - t0))) summit_times+=($((t2 - t1)))
done
chrono_us=$(printf '%s\n' "${chrono_times[@]}" | median)
summit_us=$(printf '%s\n' "${summit_times[@]}" | median)
chrono_cli_results=$(cat "$out"/*.chrono.jsonl | grep -c '"kind":"timex"' || true)

# chrono inside node: parse only
bench_args=()
for ((i = 0; i < nfiles; i++)); do bench_args+=("${dcts[i]}" "$fixtures/${names[i]}.txt"); done
chrono_inproc=$(cd "$cache" && CHRONO_VERSION=$have node chrono_bench.mjs "${bench_args[@]}") || die "the in-node chrono timing failed"

# summit: startup on a 2-byte input, and one process over all texts concatenated
printf 'x\n' >"$out/tiny.txt"
st=()
for _ in 1 2 3 4 5; do
  t0=$(now_us); "$summit_bin" extract --format jsonl "$out/tiny.txt" >/dev/null 2>&1 || die "summit failed on a 2-byte input"; t1=$(now_us)
  st+=($((t1 - t0)))
done
summit_startup_us=$(printf '%s\n' "${st[@]}" | median)
for n in "${names[@]}"; do cat "$fixtures/$n.txt"; printf '\n\n'; done >"$out/all.txt"
ct=()
for ((r = 0; r < runs_n; r++)); do
  t0=$(now_us); "$summit_bin" extract --format jsonl "$out/all.txt" >/dev/null 2>&1 || die "summit failed on the concatenated texts"; t1=$(now_us)
  ct+=($((t1 - t0)))
done
summit_concat_us=$(printf '%s\n' "${ct[@]}" | median)
concat_bytes=$(wc -c <"$out/all.txt")

cat >"$out/timing.json" <<EOF
{"files": $nfiles, "bytes": $bytes, "runs": $runs_n,
 "chrono_wall_s": $chrono_us.0e-6, "summit_wall_s": $summit_us.0e-6,
 "summit_startup_s": $summit_startup_us.0e-6, "summit_concat_s": $summit_concat_us.0e-6, "concat_bytes": $concat_bytes,
 "chrono_cli_results": $chrono_cli_results, "chrono_inproc": $chrono_inproc}
EOF

echo "chrono-node $have (node $(node --version)) vs summit ($summit_bin)"
node "$scorer" --fixtures "$fixtures" --runs "$out" --systems chrono,summit --timing "$out/timing.json" "${detail[@]}"
