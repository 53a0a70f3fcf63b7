#!/usr/bin/env bash
# Debian's Chromium for the browser tests (tests/service/web/browser): installs the
# package when missing and prints the executable's path on stdout. Playwright
# drives this executable; it never downloads a browser of its own.
set -euo pipefail
log() { echo "chromium.sh: $*" >&2; }
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        log "chromium is not installed and installing it needs root"
        exit 1
    fi
    log "installing chromium from the Debian archive"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
fi
command -v chromium
