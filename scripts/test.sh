#!/usr/bin/env bash
# Builds bai2aml and runs the whole test suite (unit, integration, end-to-end).
#   scripts/test.sh [--sanitize]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build
[ "${1:-}" = "--sanitize" ] && build_dir=build-sanitize
scripts/setup.sh "$@"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build_dir"
ctest --output-on-failure -j"$(nproc)" --timeout 600
