#!/usr/bin/env bash
# ctest bench_smoke: QUORUM_BIN LOAD_BIN OUT_DIR. Runs scripts/bench/run-bench --smoke against
# the binaries of this build; exits 77 (skipped) when Node.js or npm is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "bench_smoke: skipped, $tool is not installed"; exit 77; }
done
exec "$root/scripts/bench/run-bench" --smoke --no-build --quorum "$1" --load "$2" --out "$3"
