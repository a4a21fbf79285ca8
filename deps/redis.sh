#!/usr/bin/env bash
# Prints the path of Debian's redis-server (the Redis admission ledger's tests and `bench admission --ledger redis`
# start their own on loopback), installing the package when missing: $COSTOPS_REDIS_SERVER, else redis-server on the
# PATH (or in /usr/bin), else `apt-get install redis-server` (root; a few seconds, once).
set -euo pipefail
if [ -n "${COSTOPS_REDIS_SERVER:-}" ]; then echo "$COSTOPS_REDIS_SERVER"; exit 0; fi
found() { command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; }; }
if found >/dev/null; then found; exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: redis-server is missing and cannot be installed here (needs root and apt-get): install Debian's 'redis-server' package or set COSTOPS_REDIS_SERVER." >&2
  exit 1
fi
echo "Installing Debian's redis-server package (once)..." >&2
( flock 9
  found >/dev/null || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >&2; }
) 9>/tmp/costops-redis-install.lock
found
