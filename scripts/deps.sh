#!/bin/sh
# Install the Debian packages dynpool needs, when some are missing.
# Usage: scripts/deps.sh [extra-package ...]
set -eu
pkgs="dpdk dpdk-dev libdpdk-dev libnuma-dev libcriterion-dev meson ninja-build pkg-config gcc python3 $*"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run as root or: sudo apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
