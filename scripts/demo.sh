#!/usr/bin/env bash
# The main job: install dependencies, build, start bootstrapd in the user
# domain with the shipped plists on a private socket, call the example
# service (which is not running: the call launches it), and stop
# everything that was started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
bootstrapd_install_deps

[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null

tmp=$(mktemp -d)
export BOOTSTRAP_SOCKET="$tmp/socket"
cleanup() {
	[ -n "${daemon_pid:-}" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

./build/daemon/bootstrapd --user --foreground --socket "$BOOTSTRAP_SOCKET" \
	--jobs build/plists --state "$tmp/state" 2>"$tmp/log" &
daemon_pid=$!
for _ in $(seq 50); do [ -S "$BOOTSTRAP_SOCKET" ] && break; sleep 0.1; done

echo "== bootstrapd (pid $daemon_pid) serves $BOOTSTRAP_SOCKET; nothing else runs:"
pgrep -fa hello-service || echo "   (hello-service is not running)"
echo "== hello-client looks up com.example.hello and sends it a message:"
./build/examples/hello-client com.example.hello
echo "== bootstrapd's log:"
sed 's/^/   /' "$tmp/log"
echo "== the service was launched on demand by the first message and replied."
