#!/usr/bin/env bash
# test.sh -- the README's test command: installs what is missing, builds with
# warnings as errors, runs every test, then does it all again under
# AddressSanitizer + UndefinedBehaviorSanitizer.  Tests run with TZ=UTC LC_ALL=C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export TZ=UTC LC_ALL=C
jobs=$(nproc 2>/dev/null || echo 2)
for cfg in release asan; do
  dir=build-test-$cfg
  extra=()
  [ "$cfg" = asan ] && extra=(-DSUMMIT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
  echo "== $cfg build"
  cmake -S . -B "$dir" -DSUMMIT_WERROR=ON "${extra[@]}" >/dev/null
  cmake --build "$dir" -j "$jobs"
  echo "== $cfg tests"
  ctest --test-dir "$dir" --output-on-failure
done
