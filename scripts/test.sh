#!/usr/bin/env bash
# Install dependencies, build, and run every test suite twice: plainly and
# under AddressSanitizer + UndefinedBehaviorSanitizer; fuzz each libFuzzer
# harness for 30 s (scripts/fuzz.sh); then check an install
# (scripts/install-check.sh).  Ends with one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
bootstrapd_install_deps

jobs=$(nproc 2>/dev/null || echo 2)
if [ "$(id -u)" -eq 0 ]; then
	echo "test.sh: running as root: the *-root tests (callers of another uid) run"
else
	echo "test.sh: not root: the *-root tests are skipped and counted as skipped"
fi

meson setup build-test --wipe -Dwerror=true >/dev/null 2>&1 || meson setup build-test -Dwerror=true >/dev/null
meson compile -C build-test -j "$jobs"
meson test -C build-test --num-processes "$jobs" --print-errorlogs

meson setup build-sanitize --wipe -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null 2>&1 ||
	meson setup build-sanitize -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
meson compile -C build-sanitize -j "$jobs"
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	meson test -C build-sanitize --num-processes "$jobs" --print-errorlogs

# Every libFuzzer harness for a bounded time: the committed corpus replayed
# (regressions), then fuzzing (tests/fuzz/README.md).  Fails on a crash.
FUZZ_BUILD=build-fuzz-test bash scripts/fuzz.sh "${BOOTSTRAPD_FUZZ_SECONDS:-30}"

# What meson install ships: installed into a DESTDIR, a client built with
# the installed pkg-config file, run against the installed daemon.
bash scripts/install-check.sh

# One closing line over both runs (meson's JSON test logs).
summary() {
	python3 - "$@" <<'PY'
import json, sys
ok = bad = skip = 0
for log in sys.argv[1:]:
    for line in open(log):
        r = json.loads(line).get("result")
        ok += r in ("OK", "EXPECTEDFAIL")
        skip += r == "SKIP"
        bad += r not in ("OK", "EXPECTEDFAIL", "SKIP")
print(f"tests: {ok} passed, {bad} failed, {skip} skipped")
PY
}
summary build-test/meson-logs/testlog.json build-sanitize/meson-logs/testlog.json
