#!/bin/sh
# The cost curve (bench/curve.c) as a table and as bench/curve.png.
#   bench/curve.sh BUILD/bench/bootstrapd-bench [OUT.png] [driver options, e.g. --quick]
# Needs gnuplot (Debian: apt-get install gnuplot-nox); without it the table
# is printed and the plot skipped.  The data files go to a temporary
# directory, or to $BENCH_CURVE_DATA (kept).  Builds nothing.
set -eu
driver=${1:?usage: bench/curve.sh BUILD/bench/bootstrapd-bench [OUT.png] [options]}
shift
here=$(cd "$(dirname "$0")" && pwd)
out=$here/curve.png
case "${1:-}" in
*.png) out=$1; shift ;;
esac
if [ -n "${BENCH_CURVE_DATA:-}" ]; then
	data=$BENCH_CURVE_DATA       # kept
	mkdir -p "$data"
else
	data=$(mktemp -d "${TMPDIR:-/tmp}/bootstrapd-curve.XXXXXX")
	trap 'rm -rf "$data"' EXIT
fi
"$driver" --curve-only --curve-data "$data" "$@"
if command -v gnuplot >/dev/null 2>&1; then
	stamp="($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, Linux $(uname -r | cut -d- -f1))"
	gnuplot -e "data='$data'; out='$out'; stamp='$stamp'" "$here/curve.gp"
	echo "curve.sh: wrote $out" >&2
else
	echo "curve.sh: no gnuplot (apt-get install gnuplot-nox): plot skipped" >&2
fi
