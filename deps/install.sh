#!/usr/bin/env bash
# Installs the pinned npm packages of deps/package.json into deps/node_modules.
# Idempotent: a stamp file records the package.json it installed; a second run is a no-op.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
stamp="$here/.installed-stamp"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "error: Node.js (node and npm) is required to install CostOps' embedded ClickHouse (chDB) and Azurite; install Node.js 20+ and retry." >&2
  exit 1
fi

want="$(sha256sum "$here/package.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f "$here/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so" ] \
   && [ -f "$here/node_modules/azurite/dist/src/table/main.js" ] \
   && [ -f "$here/node_modules/playwright-core/package.json" ]; then
  exit 0
fi

echo "Installing pinned native dependencies (chDB 26.5.3, Azurite 3.37.0, playwright-core 1.65.1) into deps/node_modules; first time only, about a minute..." >&2
# --no-package-lock: versions are pinned exactly in package.json; no lock file names registry hosts.
( cd "$here" && npm install --no-package-lock --no-audit --no-fund --loglevel=error --engine-strict=false >&2 )
echo "$want" > "$stamp"
