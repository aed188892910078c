#!/bin/sh
# SPDX-License-Identifier: MIT
# compile.sh CC... -- INCLUDE_DIR
# Each compatibility header compiles alone in strict C.  Every Apple
# declaration the headers mark unavailable fails to compile when called,
# with libbootstrap's message; the same program without the call
# compiles, so a refusal is the mark's doing.
set -u
cc=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do cc="$cc $1"; shift; done
[ "$#" -eq 2 ] || { echo "usage: $0 CC... -- INCLUDE_DIR" >&2; exit 2; }
inc=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# header|statement
calls='
servers/bootstrap.h|mach_port_t p; (void)bootstrap_create_server(bootstrap_port, "x", 0, 1, &p);
servers/bootstrap.h|mach_port_t p; (void)bootstrap_subset(bootstrap_port, 0, &p);
servers/bootstrap.h|mach_port_t p; (void)bootstrap_unprivileged(bootstrap_port, &p);
mach/mach.h|(void)mach_port_set_mscount(mach_task_self(), 1, 0);
mach/mach_init.h|(void)mach_host_self();
mach/mach.h|(void)mach_thread_self();
mach/mach.h|vm_size_t s; (void)host_page_size(0, &s);
'

write() { # header statement file
	printf '#include <%s>\n#include <servers/bootstrap.h>\nint f(void);\nint f(void)\n{\n%s\nreturn 0;\n}\n' \
		"$1" "$2" >"$3"
}

# Each header compiles on its own, first in a translation unit, in strict
# C99 and C11 with every warning an error: programs build with such flags.
for h in mach/mach.h mach/mach_port.h mach/mach_init.h mach/mach_vm.h mach/vm_map.h \
	mach/task.h mach/port.h mach/notify.h mach/mach_error.h mach/mach_time.h \
	mach/std_types.h mach/mach_types.h mach/task_info.h mach/vm_purgable.h \
	mach/mach_eventlink_types.h mach/memory_object_types.h mach/vm_types.h mach/vm_region.h \
	mach/host_info.h mach/processor_info.h mach/thread_info.h mach/task_policy.h \
	mach/thread_policy.h mach/policy.h mach/time_value.h mach/task_inspect.h \
	mach/vm_attributes.h mach/vm_sync.h mach/kmod.h mach/mach_voucher_types.h mach/clock_types.h \
	mach/vm_statistics.h mach/dyld_kernel.h mach/exception_types.h mach_debug/ipc_info.h \
	mach_debug/zone_info.h mach_debug/vm_info.h mach_debug/page_info.h mach_debug/hash_info.h \
	mach_debug/lockgroup_info.h mach_debug/mach_debug_types.h \
	bootstrap.h bootstrap_priv.h servers/bootstrap.h servers/bootstrap_defs.h launch.h; do
	printf '#include <%s>\nint headers_alone;\n' "$h" >"$tmp/alone.c"
	for std in c99 c11; do
		if ! $cc -std=$std -pedantic-errors -Wall -Wextra -Werror -I"$inc" \
			-c -o "$tmp/alone.o" "$tmp/alone.c"; then
			echo "FAIL: <$h> does not compile on its own (-std=$std)"; exit 1
		fi
	done
done

# C++ programs include the same headers (IOKit-style daemons are often
# C++): each compiles alone as C++11 where a C++ compiler is installed.
cxx=$(command -v c++ || command -v g++ || command -v clang++ || true)
if [ -n "$cxx" ]; then
	for h in mach/mach.h mach/mig.h mach/mach_time.h servers/bootstrap.h bootstrap/linux.h \
		IOSurface/IOSurface.h CoreFoundation/CoreFoundation.h launch.h; do
		[ -e "$inc/$h" ] || continue
		printf '#include <%s>\nint headers_alone;\n' "$h" >"$tmp/alone.cc"
		if ! "$cxx" -std=c++11 -Wall -Wextra -Werror -I"$inc" -fsyntax-only "$tmp/alone.cc"; then
			echo "FAIL: <$h> does not compile on its own as C++"; exit 1
		fi
	done
else
	echo "no C++ compiler: the C++ part is not checked"
fi

# What macOS's headers bring in besides their own declarations, and
# programs use without including: <string.h> through the MIG-generated
# headers, <stdbool.h> through the bootstrap header.
printf '%s\n' '#include <mach/mach.h>' '#include <servers/bootstrap.h>' \
	'int f(char *d, const char *s);' \
	'int f(char *d, const char *s) { bool b = true; memset(d, 0, 4); strcpy(d, s); return b && strlen(d) > 0; }' \
	>"$tmp/implied.c"
if ! $cc -std=c11 -Werror=implicit-function-declaration -I"$inc" -c -o "$tmp/implied.o" "$tmp/implied.c"; then
	echo "FAIL: <mach/mach.h> and <servers/bootstrap.h> do not bring in <string.h> and <stdbool.h>"; exit 1
fi

n=0
echo "$calls" | while IFS='|' read -r header stmt; do
	[ -n "$header" ] || continue
	n=$((n + 1))
	write "$header" "" "$tmp/ok$n.c"
	if ! $cc -I"$inc" -c -o "$tmp/ok$n.o" "$tmp/ok$n.c" 2>"$tmp/ok$n.err"; then
		echo "FAIL: <$header> alone does not compile:"; cat "$tmp/ok$n.err"; exit 1
	fi
	write "$header" "$stmt" "$tmp/use$n.c"
	if $cc -I"$inc" -c -o "$tmp/use$n.o" "$tmp/use$n.c" 2>"$tmp/use$n.err"; then
		echo "FAIL: compiled, but must not: $stmt"; exit 1
	fi
	if ! grep -q 'not supported by libbootstrap' "$tmp/use$n.err"; then
		echo "FAIL: refused without libbootstrap's message: $stmt"; cat "$tmp/use$n.err"; exit 1
	fi
	echo "ok: refused: $stmt"
done
