#!/usr/bin/env bash
# ci-extra.sh -- the slower CI checks: one minute of fuzzing per libFuzzer
# target (scripts/fuzz.sh 60) and memcheck over the fixture pipeline
# (scripts/valgrind.sh).  Installs clang, its libFuzzer runtime and valgrind
# with apt-get when they are missing (through sudo unless run as root); the
# build dependencies come from scripts/install-deps.sh.  Exits non-zero when
# either check fails; both always run.
#   Environment: FUZZ_SECONDS (default 60), FUZZ_PARALLEL (see fuzz.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive

# 1 when clang can link a libFuzzer target here.
have_libfuzzer() {
    command -v clang >/dev/null || return 1
    local t
    t=$(mktemp -d)
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' >"$t/t.c"
    clang -fsanitize=fuzzer,address,undefined "$t/t.c" -o "$t/t" >/dev/null 2>&1
    local rc=$?
    rm -rf "$t"
    return $rc
}

command -v cmake >/dev/null && pkg-config --exists icu-uc sqlite3 2>/dev/null || scripts/install-deps.sh
if ! have_libfuzzer || ! command -v valgrind >/dev/null; then
    echo "ci-extra: installing clang, libclang-rt-14-dev and valgrind"
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq clang libclang-rt-14-dev valgrind >/dev/null
fi
have_libfuzzer || { echo "ci-extra: clang cannot link a libFuzzer target" >&2; exit 2; }

start=$(date +%s)
status=0
echo "== fuzz: ${FUZZ_SECONDS:-60} s per target"
scripts/fuzz.sh "${FUZZ_SECONDS:-60}" || status=1
echo "== valgrind"
scripts/valgrind.sh || status=1
echo "ci-extra: $([ $status = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - start)) s"
exit $status
