#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium for the report's browser test, installing Debian's package if needed.
# Order: $COSTOPS_CHROMIUM, then an installed chromium, then `apt-get install chromium` (as root, Debian/Ubuntu).
# Not run by the build: only the browser test asks for it, so `dotnet build` never touches the system.
# Debian's package is used because a test tool's own browser download (playwright install) does not work here;
# playwright-core (deps/package.json) drives it. Its version is the distribution's, not pinned by us.
set -euo pipefail

if [ -n "${COSTOPS_CHROMIUM:-}" ]; then
  [ -x "$COSTOPS_CHROMIUM" ] || { echo "error: COSTOPS_CHROMIUM=$COSTOPS_CHROMIUM is not an executable file." >&2; exit 1; }
  echo "$COSTOPS_CHROMIUM"; exit 0
fi

for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done

if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "error: the report's browser test needs Chromium. Install it (Debian/Ubuntu: apt-get install chromium) or set COSTOPS_CHROMIUM to its path." >&2
  exit 1
fi

# Serialise concurrent callers (two test hosts) on one lock; the second finds the binary installed.
exec 9>/tmp/costops-chromium-install.lock
flock 9
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the report's browser test (first time only, about 20 s)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends chromium >&2
fi
echo /usr/bin/chromium
