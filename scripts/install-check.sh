#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# install-check.sh - check what `meson install` ships, as a user would use it.
#
# Builds a fresh tree with --prefix=/usr, installs it into a temporary
# DESTDIR, and then, using only the installed files:
#   - checks that the daemon, bsctl, the library, headers, pkg-config file,
#     man pages, systemd units, example jobs and job directory are there;
#   - compiles a small client against the installed headers and library,
#     found through the installed libbootstrap.pc;
#   - starts the installed bootstrapd on a private socket with a job for the
#     installed hello-service, checks that the client gets a send right,
#     that the installed hello-client gets a reply from the demand-launched
#     service, and that the installed bsctl lists the job and lints every
#     installed example;
#   - stops the daemon with SIGTERM and checks its clean exit;
#   - lints every installed man page with mandoc, .so pages included.
# Exits non-zero on the first failure.  KEEP=1 keeps the temporary directory.
#
# Usage: scripts/install-check.sh
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
start=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bootstrapd-install.XXXXXX")
build="$tmp/build"
dest="$tmp/dest"
daemon_pid=

cleanup() {
	if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
		kill "$daemon_pid" 2>/dev/null || true
		wait "$daemon_pid" 2>/dev/null || true
	fi
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

step() { printf '== %s\n' "$*"; }
fail() {
	printf 'install-check: FAIL: %s\n' "$*" >&2
	if [ -s "$tmp/daemon.log" ]; then
		echo "-- bootstrapd's log:" >&2
		sed 's/^/   /' "$tmp/daemon.log" >&2
	fi
	exit 1
}

step "meson setup --prefix=/usr, build, install into $dest"
meson setup "$build" "$src" --prefix=/usr -Dtests=false -Dman=true >"$tmp/setup.log" 2>&1 ||
	{ cat "$tmp/setup.log" >&2; fail "meson setup"; }
meson compile -C "$build" -j "${JOBS:-2}" >"$tmp/compile.log" 2>&1 ||
	{ tail -40 "$tmp/compile.log" >&2; fail "meson compile"; }
DESTDIR="$dest" meson install -C "$build" --no-rebuild >"$tmp/install.log" 2>&1 ||
	{ tail -40 "$tmp/install.log" >&2; fail "meson install"; }

step "installed files"
pc=$(find "$dest" -name libbootstrap.pc -print -quit)
[ -n "$pc" ] || fail "libbootstrap.pc not installed"
libdir=$(dirname "$(dirname "$pc")")
for f in usr/sbin/bootstrapd usr/bin/bsctl \
	 usr/libexec/bootstrapd/hello-service usr/libexec/bootstrapd/hello-client \
	 usr/include/bootstrap/compat/servers/bootstrap.h \
	 usr/include/bootstrap/compat/mach/mach.h usr/include/bootstrap/linux.h \
	 usr/include/bootstrap/compat/bootstrap.h usr/include/bootstrap/unavailable.h \
	 usr/include/bootstrap/compat/servers/bootstrap_defs.h \
	 usr/include/bootstrap/compat/mach/mach_time.h \
	 usr/include/bootstrap/compat/launch.h \
	 usr/share/man/man3/mach_absolute_time.3 \
	 usr/share/man/man3/launch_activate_socket.3 \
	 usr/share/man/man8/bootstrapd.8 usr/share/man/man1/bsctl.1 \
	 usr/share/man/man5/bootstrapd.plist.5 usr/share/man/man3/bootstrap.3 \
	 usr/share/man/man3/bootstrap_look_up.3 usr/share/man/man3/mach_msg.3 \
	 usr/share/man/man3/mach_port.3 usr/share/man/man3/vm_allocate.3 \
	 usr/share/man/man7/bootstrap-wire.7 \
	 usr/bin/bsmig usr/share/man/man1/bsmig.1 \
	 usr/include/bootstrap/compat/mach/std_types.defs \
	 usr/include/bootstrap/compat/mach/mach_types.defs \
	 usr/share/bootstrapd/examples/com.example.hello.plist; do
	[ -e "$dest/$f" ] || fail "/$f not installed"
done
[ -e "$libdir/libbootstrap.so.0" ] || fail "libbootstrap.so.0 not in ${libdir#"$dest"}"
[ -d "$dest/etc/bootstrapd/LaunchDaemons" ] || fail "/etc/bootstrapd/LaunchDaemons not created"
for scope in system user; do
	unit=$(find "$dest" -path "*/systemd/$scope/bootstrapd.service" -print -quit)
	[ -n "$unit" ] || fail "the $scope unit bootstrapd.service is not installed"
	grep -q "^ExecStart=/usr/sbin/bootstrapd --$scope --foreground\$" "$unit" ||
		fail "${unit#"$dest"}: unexpected ExecStart"
	echo "   ${unit#"$dest"}"
done
grep -q '<string>/usr/libexec/bootstrapd/hello-service</string>' \
	"$dest/usr/share/bootstrapd/examples/com.example.hello.plist" ||
	fail "the installed com.example.hello.plist does not name the installed hello-service"

step "compile a client with pkg-config --cflags --libs libbootstrap (${pc#"$dest"})"
cat >"$tmp/client.c" <<'EOF'
#include <stdio.h>
#include <servers/bootstrap.h>

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "com.example.hello";
	mach_port_t port = MACH_PORT_NULL;
	mach_port_type_t type = 0;
	kern_return_t kr = bootstrap_look_up(bootstrap_port, name, &port);

	if (kr != BOOTSTRAP_SUCCESS) {
		fprintf(stderr, "bootstrap_look_up %s: %s\n", name, bootstrap_strerror(kr));
		return 1;
	}
	kr = mach_port_type(mach_task_self(), port, &type);
	if (kr != KERN_SUCCESS || !(type & MACH_PORT_TYPE_SEND)) {
		fprintf(stderr, "%s: not a send right (%s)\n", name, mach_error_string(kr));
		return 1;
	}
	printf("%s: send right 0x%x\n", name, port);
	return mach_port_deallocate(mach_task_self(), port) == KERN_SUCCESS ? 0 : 1;
}
EOF
# The sysroot maps the .pc file's /usr paths into the DESTDIR; /usr/include
# must not be dropped as a system directory, or the installed headers would
# be looked for outside it.
pkgconf() {
	PKG_CONFIG_LIBDIR="$(dirname "$pc")" PKG_CONFIG_PATH='' PKG_CONFIG_SYSROOT_DIR="$dest" \
	PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 \
		pkg-config "$@" libbootstrap
}
cflags=$(pkgconf --cflags) || fail "pkg-config --cflags libbootstrap"
libs=$(pkgconf --libs) || fail "pkg-config --libs libbootstrap"
echo "   cflags: $cflags"
echo "   libs:   $libs"
# shellcheck disable=SC2086
"${CC:-cc}" -Wall -Werror -o "$tmp/client" "$tmp/client.c" $cflags $libs ||
	fail "the client does not compile against the installed headers"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# grep reads to the end: with -q it could exit early and fail the pipe (pipefail) on SIGPIPE.
ldd "$tmp/client" | grep "libbootstrap.so.0 => $libdir/" >/dev/null ||
	fail "the client does not use the installed libbootstrap.so.0"

step "compile and run an IOSurface client against the installed headers"
[ -e "$dest/usr/share/man/man3/IOSurface.3" ] || fail "/usr/share/man/man3/IOSurface.3 not installed"
cat >"$tmp/surface.c" <<'EOF'
#include <stdio.h>
#include <CoreFoundation/CoreFoundation.h>
#include <IOSurface/IOSurface.h>

int main(void)
{
	int n = 64;
	CFNumberRef num = CFNumberCreate(kCFAllocatorDefault, kCFNumberIntType, &n);
	const void *keys[] = { kIOSurfaceWidth, kIOSurfaceHeight };
	const void *values[] = { num, num };
	CFDictionaryRef props = CFDictionaryCreate(kCFAllocatorDefault, keys, values, 2,
		&kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);
	IOSurfaceRef s = IOSurfaceCreate(props), t;
	mach_port_t port = s ? IOSurfaceCreateMachPort(s) : MACH_PORT_NULL;

	t = IOSurfaceLookupFromMachPort(port);
	if (!t || t != s || IOSurfaceGetBytesPerRow(t) != 64)
		return 1;
	printf("surface %u: %zux%zu\n", IOSurfaceGetID(s), IOSurfaceGetWidth(s), IOSurfaceGetHeight(s));
	mach_port_deallocate(mach_task_self(), port);
	CFRelease(t);
	CFRelease(s);
	CFRelease(props);
	CFRelease(num);
	return 0;
}
EOF
# shellcheck disable=SC2086
"${CC:-cc}" -Wall -Werror -o "$tmp/surface" "$tmp/surface.c" $cflags $libs ||
	fail "the IOSurface client does not compile against the installed headers"
XDG_RUNTIME_DIR="$tmp" "$tmp/surface" | sed 's/^/   /'
[ "${PIPESTATUS[0]}" = 0 ] || fail "the IOSurface client failed"
step "the installed bsmig (pkg-config --variable=mig) builds examples/mig-hello"
mig=$(pkgconf --variable=mig) || fail "pkg-config --variable=mig libbootstrap"
mig="$dest${mig#"$dest"}"
mkdir -p "$tmp/mig"
(cd "$tmp/mig" && "$mig" -I "$dest/usr/include/bootstrap/compat" -sheader helloServer.h \
	"$src/examples/mig-hello/hello.defs") || fail "bsmig on examples/mig-hello/hello.defs"
for side in client:helloUser.c server:helloServer.c; do
	# shellcheck disable=SC2086
	"${CC:-cc}" -Wall -Werror -I "$tmp/mig" -I "$src/examples/mig-hello" -o "$tmp/mig/${side%%:*}" \
		"$src/examples/mig-hello/mig-hello-${side%%:*}.c" "$tmp/mig/${side#*:}" $cflags $libs ||
		fail "the generated ${side#*:} does not compile against the installed headers"
done

step "start the installed bootstrapd on a private socket"
mkdir -p "$tmp/jobs" "$tmp/state"
# Jobs do not inherit the daemon's environment: the installed service
# finds the installed library through EnvironmentVariables.
cat >"$tmp/jobs/com.example.hello.plist" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>com.example.hello</string>
	<key>ProgramArguments</key>
	<array>
		<string>$dest/usr/libexec/bootstrapd/hello-service</string>
	</array>
	<key>EnvironmentVariables</key>
	<dict>
		<key>LD_LIBRARY_PATH</key>
		<string>$libdir</string>
	</dict>
	<key>MachServices</key>
	<dict>
		<key>com.example.hello</key>
		<true/>
	</dict>
</dict>
</plist>
EOF
export BOOTSTRAP_SOCKET="$tmp/socket"
"$dest/usr/sbin/bootstrapd" --user --foreground --socket "$BOOTSTRAP_SOCKET" \
	--jobs "$tmp/jobs" --state "$tmp/state" 2>"$tmp/daemon.log" &
daemon_pid=$!
# Ready once the socket exists and the job directory has been loaded (the
# socket comes first, so waiting for it alone races the load).
for _ in $(seq 200); do
	[ -S "$BOOTSTRAP_SOCKET" ] && grep -q "1 job(s) loaded" "$tmp/daemon.log" && break
	kill -0 "$daemon_pid" 2>/dev/null || fail "bootstrapd exited at start-up"
	sleep 0.05
done
[ -S "$BOOTSTRAP_SOCKET" ] || fail "bootstrapd did not create $BOOTSTRAP_SOCKET"
grep -q "1 job(s) loaded" "$tmp/daemon.log" || fail "the job was not loaded"

step "the client looks com.example.hello up"
"$tmp/client" com.example.hello | sed 's/^/   /'
[ "${PIPESTATUS[0]}" = 0 ] || fail "the client got no send right"
if "$tmp/client" com.example.nosuch 2>/dev/null; then
	fail "a look-up of an unknown name succeeded"
fi

step "the installed hello-client calls the installed, demand-launched hello-service"
"$dest/usr/libexec/bootstrapd/hello-client" com.example.hello >"$tmp/hello.out" 2>&1 ||
	{ cat "$tmp/hello.out" >&2; fail "hello-client"; }
sed 's/^/   /' "$tmp/hello.out"
grep -q "replied: hello from pid" "$tmp/hello.out" || fail "no reply from hello-service"
grep -q "com.example.hello: started (pid [0-9]*, reason demand)" "$tmp/daemon.log" ||
	fail "hello-service was not started on demand"

step "the installed bsctl"
"$dest/usr/bin/bsctl" list >"$tmp/list.out" || fail "bsctl list"
sed 's/^/   /' "$tmp/list.out"
grep -q "com.example.hello\$" "$tmp/list.out" || fail "bsctl list does not show the job"
"$dest/usr/bin/bsctl" lint "$dest"/usr/share/bootstrapd/examples/*.plist 2>"$tmp/lint.err" |
	sed "s|$dest||; s/^/   /"
[ "${PIPESTATUS[0]}" = 0 ] || { cat "$tmp/lint.err" >&2; fail "an installed example does not lint"; }
if [ -s "$tmp/lint.err" ]; then
	cat "$tmp/lint.err" >&2
	fail "an installed example has warnings"
fi

step "SIGTERM stops bootstrapd and its job"
kill -TERM "$daemon_pid"
status=0
wait "$daemon_pid" || status=$?
daemon_pid=
[ "$status" = 0 ] || fail "bootstrapd exited with status $status after SIGTERM"
[ ! -e "$BOOTSTRAP_SOCKET" ] || fail "bootstrapd left its socket behind"
grep -q "exiting" "$tmp/daemon.log" || fail "bootstrapd did not log its exit"

step "mandoc -T lint -W warning on the installed pages"
if command -v mandoc >/dev/null 2>&1; then
	n=0
	cd "$dest/usr/share/man"
	for page in man*/*; do
		# A one-line .so page is linted through its target, which must
		# resolve; mandoc's advice to use ln(1) instead is not a defect.
		out=$(mandoc -T lint -W warning "$page" 2>&1 | grep -v ': WARNING: .so is fragile, better use ln(1): so ' || true)
		[ -z "$out" ] || { printf '%s\n' "$out" >&2; fail "mandoc: $page"; }
		n=$((n + 1))
	done
	cd "$src"
	echo "   $n pages clean"
else
	echo "   mandoc is not installed: skipped"
fi

echo "install-check: OK in $(( $(date +%s) - start )) s"
