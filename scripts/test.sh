#!/usr/bin/env bash
# The one test command: installs and starts what the tests need (MariaDB, RabbitMQ, Chromium, the
# front end's npm packages), then runs every test in the solution and the front-end unit tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

"$ROOT/scripts/infra.sh" up

if ! command -v chromium >/dev/null 2>&1; then
  echo "[test] installing Debian's chromium for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

if [ -x "$ROOT/scripts/build-web.sh" ]; then "$ROOT/scripts/build-web.sh" --test; fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
mkdir -p "$ROOT/.artifacts"
set +e
dotnet test "$ROOT/TaskManagement.sln" -nologo "$@" 2>&1 | tee "$ROOT/.artifacts/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test assemblies.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$ROOT/.artifacts/dotnet-test.log"
exit "$status"
