#!/bin/bash
# SPDX-License-Identifier: MIT
#
# scripts/mutate.sh [NAME...] - break the product one line at a time and
# check that the tests notice.
#
# Each tests/mutations/NAME.mut names a source file, one exact line of it,
# the line to put instead, and the tests that must fail then (see
# tests/mutations/README.md).  For each mutation this script swaps the
# line in, rebuilds in build-mutate/ (or $MUTATE_BUILD), runs the suites
# named, puts the line back, and reports whether every named test failed.
# Before that, the same tests must pass on the unchanged source.
#
# Exit status: 0 when every mutation was caught, 1 when one was missed,
# 2 when the mutations or the unchanged tests are broken.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
# Absolute: its path names this build's processes for end_leftovers(), and
# a relative one would match another tree's build directory of that name.
build=$(realpath -m -- "${MUTATE_BUILD:-$root/build-mutate}")
mutdir=$root/tests/mutations
work=$(mktemp -d "${TMPDIR:-/tmp}/bootstrapd-mutate.XXXXXX")
restore_file=             # the source file currently mutated, if any

restore() {
	if [ -n "$restore_file" ]; then
		cp "$work/original" "$root/$restore_file"
		restore_file=
	fi
}
trap 'restore; rm -rf "$work"' EXIT
trap 'echo "mutate.sh: interrupted: source restored" >&2; exit 130' INT TERM HUP

die() {
	echo "mutate.sh: $*" >&2
	exit 2
}

# parse FILE: sets behaviour, file, original, mutant and catches (an array
# of "SUITE TEST").  Values are taken verbatim after "key: ", tabs and all.
parse() {
	behaviour= file= original= mutant=
	catches=()
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		'#'* | '') ;;
		'behaviour: '*) behaviour=${line#behaviour: } ;;
		'file: '*) file=${line#file: } ;;
		'original: '*) original=${line#original: } ;;
		'mutant: '*) mutant=${line#mutant: } ;;
		'catch: '*) catches+=("${line#catch: }") ;;
		*) die "$1: cannot read: $line" ;;
		esac
	done <"$1"
	[ -n "$behaviour" ] && [ -n "$file" ] && [ -n "$original" ] && [ -n "$mutant" ] &&
		[ ${#catches[@]} -gt 0 ] || die "$1: needs behaviour, file, original, mutant, catch"
	[ -f "$root/$file" ] || die "$1: no file $file"
	[ "$original" != "$mutant" ] || die "$1: the mutant is the original"
	local n
	n=$(ORIG=$original awk '$0 == ENVIRON["ORIG"] { n++ } END { print n + 0 }' "$root/$file")
	[ "$n" = 1 ] || die "$1: the original line occurs $n times in $file, not once"
}

# apply: swap the line in (the original is kept in $work/original).
apply() {
	cp "$root/$file" "$work/original"
	restore_file=$file
	ORIG=$original MUT=$mutant awk '$0 == ENVIRON["ORIG"] { print ENVIRON["MUT"]; next } { print }' \
		"$work/original" >"$work/mutant"
	cp "$work/mutant" "$root/$file"     # a new mtime: ninja rebuilds
}

compile() {
	meson compile -C "$build" -j 2 >"$work/compile.log" 2>&1
}

# A failing test ends with check killing its process group, the daemon
# with it; the daemon's jobs run in their own sessions and stay behind.
# End those that run this build's programs.
end_leftovers() {
	local pids
	pids=$(pgrep -f -- "$build/") || return 0
	kill $pids 2>/dev/null || true
}

# run SUITE: run one suite; check writes every test's result to
# $work/SUITE.ck ($CK_LOG_FILE_NAME), meson's output goes to $work/SUITE.log.
run() {
	rm -f "$work/$1.ck"
	CK_LOG_FILE_NAME=$work/$1.ck meson test -C "$build" --no-rebuild --print-errorlogs "$1" \
		>"$work/$1.log" 2>&1
	end_leftovers
}

# outcome SUITE TEST: "passed", "failed" or "absent".
outcome() {
	local ck=$work/$1.ck
	if grep -Eqs ":[FE]:[^:]*:$2:[0-9]+:" "$ck"; then
		echo failed
	elif grep -Eqs ":P:[^:]*:$2:[0-9]+:" "$ck"; then
		echo passed
	elif grep -Eq "$1 +TIMEOUT" "$work/$1.log"; then
		echo failed     # a hang: meson killed the suite before check could say
	else
		echo absent
	fi
}

if [ $# -gt 0 ]; then
	files=()
	for name in "$@"; do
		files+=("$mutdir/${name%.mut}.mut")
	done
else
	files=("$mutdir"/*.mut)
fi
for f in "${files[@]}"; do
	[ -f "$f" ] || die "no mutation $f"
	parse "$f"
done

if [ ! -d "$build" ]; then
	# No -Dwerror: a mutant may leave a variable unused.
	meson setup "$build" >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; die "meson setup failed"; }
fi

# The unchanged source: every test named must pass.
compile || { cat "$work/compile.log"; die "the unchanged source does not build"; }
declare -A suites=()
for f in "${files[@]}"; do
	parse "$f"
	for c in "${catches[@]}"; do
		suites[${c%% *}]=1
	done
done
for s in "${!suites[@]}"; do
	run "$s"
done
for f in "${files[@]}"; do
	parse "$f"
	for c in "${catches[@]}"; do
		got=$(outcome "${c%% *}" "${c#* }")
		[ "$got" = passed ] || die "unchanged source: $c $got (see $build/meson-logs/testlog.txt)"
	done
done

missed=0
rows=()
for f in "${files[@]}"; do
	parse "$f"
	name=$(basename "$f" .mut)
	apply
	if ! compile; then
		restore
		cat "$work/compile.log" >&2
		die "$name: the mutant does not build"
	fi
	declare -A ran=()
	for c in "${catches[@]}"; do
		s=${c%% *}
		[ -n "${ran[$s]:-}" ] || run "$s"
		ran[$s]=1
		got=$(outcome "$s" "${c#* }")
		if [ "$got" = failed ]; then
			verdict=caught
		else
			verdict=MISSED
			missed=$((missed + 1))
		fi
		rows+=("$name|$c|$verdict")
		echo "$name: $c: $verdict" >&2
	done
	unset ran
	restore
done
compile || die "the restored source does not build"

printf '\n%-36s %-64s %s\n' MUTATION "SUITE TEST" RESULT
for r in "${rows[@]}"; do
	IFS='|' read -r m c v <<<"$r"
	printf '%-36s %-64s %s\n' "$m" "$c" "$v"
done
[ "$missed" -eq 0 ] || { echo "$missed missed" >&2; exit 1; }
exit 0
