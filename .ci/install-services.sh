#!/usr/bin/env bash
# Install the services the graph tests talk to: a Virtuoso server (Debian's
# virtuoso-opensource, ~5 MB with --no-install-recommends).
#
# The tests start and stop their own Virtuoso on loopback with a temporary database
# (tests/conftest.py, fixture `virtuoso`); this script only installs the binary. The
# package's own system service is kept from starting (a temporary policy-rc.d), so
# nothing listens on the default ports afterwards. Safe to run twice.
set -euo pipefail

if command -v virtuoso-t >/dev/null 2>&1; then
    echo "install-services: virtuoso-t already installed ($(command -v virtuoso-t))"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

POLICY=/usr/sbin/policy-rc.d
CREATED_POLICY=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    CREATED_POLICY=1
fi
cleanup() {
    if [ "$CREATED_POLICY" = 1 ]; then
        $SUDO rm -f "$POLICY"
    fi
}
trap cleanup EXIT

if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends virtuoso-opensource; then
    # the package lists may be missing or stale on a fresh machine
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends virtuoso-opensource
fi

command -v virtuoso-t >/dev/null
echo "install-services: $(virtuoso-t +version 2>&1 | head -n 1 || true)"
