#!/bin/sh
# Run the benchmarks; builds nothing.  meson's run target calls it with the
# built driver:  meson compile -C BUILD bench   (options in $BENCH_ARGS)
# By hand:       bench/run.sh BUILD/bench/bootstrapd-bench [--json] [--quick] ...
set -eu
if [ $# -ge 1 ] && [ -x "$1" ] && [ ! -d "$1" ]; then
	driver=$1
	shift
else
	driver=${MESON_BUILD_ROOT:-build}/bench/bootstrapd-bench
fi
if [ ! -x "$driver" ]; then
	echo "run.sh: $driver not found: build first (meson compile -C BUILD)" >&2
	exit 1
fi
# shellcheck disable=SC2086
"$driver" ${BENCH_ARGS:-} "$@"
# IOSurface transfer figures (bench/surface.c), in text runs only.
surface=$(dirname "$driver")/bootstrapd-bench-surface
case " ${BENCH_ARGS:-} $* " in
*" --json "*) ;;
*) if [ -x "$surface" ]; then echo; "$surface" ${BENCH_ARGS:-} "$@" || true; fi ;;
esac
# Restart and re-exec times (bench/restart.c), in text runs only.
restart=$(dirname "$driver")/bootstrapd-bench-restart
case " ${BENCH_ARGS:-} $* " in
*" --json "*) ;;
*) if [ -x "$restart" ]; then echo; "$restart" ${BENCH_ARGS:-} "$@" || true; fi ;;
esac
