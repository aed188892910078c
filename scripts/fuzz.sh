#!/usr/bin/env bash
# Build the libFuzzer harnesses (tests/fuzz, -Dfuzz=true, with clang) if
# needed, replay every committed corpus file (the regressions), then fuzz
# each harness for SECONDS (default 30).
#
#   scripts/fuzz.sh [SECONDS [HARNESS...]]      HARNESS: plist request control recv state
#
# New inputs go to a scratch directory ($FUZZ_SCRATCH, default
# build-fuzz/fuzz-scratch/<harness>), never into tests/fuzz/corpus.  On a
# crash, a leak or a timeout: the report, the reproducer's path, and exit 1.
# Environment: FUZZ_BUILD (build directory, default build-fuzz), FUZZ_RSS_MB
# (default 2048), FUZZ_JOBS (compile jobs, default nproc).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(plist request control recv state)
build=${FUZZ_BUILD:-build-fuzz}
scratch=${FUZZ_SCRATCH:-$build/fuzz-scratch}
rss=${FUZZ_RSS_MB:-2048}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
corpus=tests/fuzz/corpus

declare -A dict=([plist]=plist.dict [request]=wire.dict [control]=plist.dict [recv]=wire.dict [state]=state.dict)
declare -A max_len=([plist]=65536 [request]=24000 [control]=40000 [recv]=32768 [state]=16384)


if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzz=true -Db_lundef=false -Dtests=false -Dman=false >/dev/null
fi
targets=()
for h in "${harnesses[@]}"; do
	[ -n "${dict[$h]:-}" ] || { echo "fuzz.sh: unknown harness $h" >&2; exit 2; }
	targets+=("tests/fuzz/fuzz-$h")
done
if ! meson compile -C "$build" -j "$jobs" "${targets[@]}" >"$build/fuzz-compile.log" 2>&1; then
	tail -n 40 "$build/fuzz-compile.log" >&2
	echo "fuzz: building the harnesses failed (full log: $build/fuzz-compile.log)" >&2
	exit 1
fi

# For the harnesses only: the build runs bsmig, built instrumented here,
# which keeps its allocations until it exits and turns leak checks off for
# itself (an ASAN_OPTIONS in the environment would override that).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# Print the end of a failed run: the sanitizer's report and where the input is.
report() {
	local log=$1 what=$2
	echo "fuzz-$h: $what (full log: $log)" >&2
	grep -v '^#[0-9]' "$log" | grep -vE '^(INFO|fuzz): ' | tail -n 40 >&2
}

status=0
for h in "${harnesses[@]}"; do
	exe=$build/tests/fuzz/fuzz-$h
	mkdir -p "$scratch/$h" "$scratch/artifacts"
	log=$scratch/$h.log

	# Regressions: every committed input, one by one (the last "Running:" names a crash's).
	if ! "$exe" -rss_limit_mb="$rss" -timeout=30 "$corpus/$h"/* >"$log" 2>&1; then
		report "$log" "a committed input fails"
		echo "reproducer: $(grep '^Running: ' "$log" | tail -n 1 | cut -d' ' -f2-)" >&2
		echo "replay: $exe <reproducer>" >&2
		status=1
		continue
	fi
	echo "fuzz-$h: $(ls "$corpus/$h" | wc -l) committed inputs replayed"

	# Fuzz: new inputs into the scratch directory (first), the committed corpus read only.
	if ! nice -n "${FUZZ_NICE:-0}" "$exe" -max_total_time="$seconds" -rss_limit_mb="$rss" \
		-timeout=30 -max_len="${max_len[$h]}" -dict="tests/fuzz/${dict[$h]}" \
		-artifact_prefix="$scratch/artifacts/$h-" -print_final_stats=1 \
		"$scratch/$h" "$corpus/$h" >"$log" 2>&1; then
		report "$log" "crash"
		echo "reproducer: $(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)" >&2
		echo "replay: $exe <reproducer>; keep it as a regression: copy it into $corpus/$h/" >&2
		status=1
		continue
	fi
	stat() { sed -n "s/^stat::$1: *//p" "$log"; }
	echo "fuzz-$h: $(stat number_of_executed_units) runs in ${seconds}s ($(stat average_exec_per_sec)/s)," \
		"$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1), corpus in $scratch/$h"
done
exit $status
