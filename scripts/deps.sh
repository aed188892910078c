#!/usr/bin/env bash
# Install what building and testing bootstrapd needs, on Debian 12 or later.
# Sourced by demo.sh and test.sh; installs only what is missing.
set -euo pipefail

BOOTSTRAPD_PACKAGES=(meson ninja-build pkg-config gcc libxml2-dev libplist-dev libevent-dev check mandoc libpng-dev libsystemd-dev)
# The fuzz harnesses (tests/fuzz, scripts/fuzz.sh, run by test.sh): clang and
# its libFuzzer and sanitizer runtimes (libclang-rt-dev follows the default
# clang: libclang-rt-14-dev on Debian 12).
BOOTSTRAPD_PACKAGES+=(clang libclang-rt-dev)

bootstrapd_install_deps() {
	local missing=()
	for p in "${BOOTSTRAPD_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
