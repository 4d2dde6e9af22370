#!/usr/bin/env bash
# demo.sh -- the README's first command: installs what is missing, builds,
# ingests the bundled article into ./timeline.db and prints its chronology.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
build/summit ingest --db timeline.db --dct 2017-07-07 fixtures/hill-2017-07-07-trump-putin.txt
build/summit chronology --db timeline.db
