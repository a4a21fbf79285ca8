#!/usr/bin/env bash
# Prints the path of Debian's faketime (runs a process tree at a chosen instant), installing the package when missing:
# $COSTOPS_FAKETIME, else faketime on the PATH, else `apt-get install faketime` (root; a few seconds, once).
set -euo pipefail
if [ -n "${COSTOPS_FAKETIME:-}" ]; then echo "$COSTOPS_FAKETIME"; exit 0; fi
if command -v faketime >/dev/null 2>&1; then command -v faketime; exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: faketime is missing and cannot be installed here (needs root and apt-get): install Debian's 'faketime' package or set COSTOPS_FAKETIME." >&2
  exit 1
fi
echo "Installing Debian's faketime package (once)..." >&2
( flock 9
  command -v faketime >/dev/null 2>&1 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >&2; }
) 9>/tmp/costops-faketime-install.lock
command -v faketime
