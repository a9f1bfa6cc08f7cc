#!/usr/bin/env bash
# Runs every libFuzzer target (fuzz/README.md) for MINUTES each, one after the other, from a corpus
# seeded with config/, the sample inventory and the vendored spec examples and kept in build-fuzz/corpus
# (so later runs start where earlier ones stopped). Prints one line per target: seconds, executions,
# corpus size, and clean or the crashing input (saved in build-fuzz/crashes/). Exit 1 on any crash.
#   bench/fuzz.sh MINUTES            e.g. bench/fuzz.sh 10
#   bench/fuzz.sh --seconds N        CI: N seconds per target
# Env: FUZZ_TARGETS="config_fuzzer ..." to run some only; FUZZ_JOBS=2 to run two targets at a time;
#      FUZZ_NO_BUILD=1 to use build-fuzz as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  --seconds) seconds="${2:?--seconds N}" ;;
  ''|-*) echo "usage: bench/fuzz.sh MINUTES | --seconds N" >&2; exit 2 ;;
  *) seconds=$(( $1 * 60 )) ;;
esac
targets=(${FUZZ_TARGETS:-config_fuzzer inventory_translate_fuzzer arm_response_fuzzer emulator_request_fuzzer})
jobs="${FUZZ_JOBS:-1}"
build=build-fuzz

[ -n "${FUZZ_NO_BUILD:-}" ] || scripts/setup.sh --fuzz >/dev/null
mkdir -p "$build/corpus" "$build/crashes" "$build/logs"
python3 fuzz/make_seeds.py "$build/seeds"

run_one() {
  local t="$1" log="$build/logs/$1.log"
  mkdir -p "$build/corpus/$t"
  # -rss_limit_mb: the machine is shared; -timeout: any single input taking 10 s is a hang to report.
  # UBSan stops at the first report (-fno-sanitize-recover), ASan too; either makes libFuzzer save the input.
  if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 nice "$build/fuzz/$t" \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=1536 -print_final_stats=1 \
      -dict=fuzz/json.dict -artifact_prefix="$build/crashes/$t-" \
      "$build/corpus/$t" "$build/seeds/$t" >"$log" 2>&1; then
    result=clean
  else
    result="CRASH: $(grep -o "$build/crashes/$t-[^ ]*" "$log" | tail -1) (see $log)"
  fi
  local execs corpus
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(ls "$build/corpus/$t" | wc -l)
  printf '%-28s %6ss %12s execs %6s corpus  %s\n' "$t" "$seconds" "${execs:-?}" "$corpus" "$result"
  [ "$result" = clean ]
}

status=0
pids=()
for t in "${targets[@]}"; do
  if [ "$jobs" -le 1 ]; then
    run_one "$t" || status=1
  else
    run_one "$t" & pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
