#!/usr/bin/env bash
# The one test command: the scripts' own tests (tests/scripts), the manifests tests in a fresh clone
# (the repository needs nothing outside itself), then installs and starts what the other tests need
# (MariaDB, RabbitMQ, Chromium, the front end's npm packages) and runs every test in the solution and
# the front-end unit tests. Arguments go to `dotnet test`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG="test"
# shellcheck source-path=SCRIPTDIR source=lib/on-error.sh
. "$ROOT/scripts/lib/on-error.sh"
DATA="${TASKMGMT_DATA_DIR:-$ROOT/.data}"
ARTIFACTS="$ROOT/.artifacts"
mkdir -p "$ARTIFACTS"
say() { printf '[test] %s\n' "$*" >&2; }
failed=()

for t in "$ROOT"/tests/scripts/*.test.sh; do
  say "tests/scripts/${t##*/}"
  bash "$t" || failed+=("tests/scripts/${t##*/}")
done

say "manifests tests in a fresh clone (log: ${ARTIFACTS#"$ROOT/"}/fresh-clone.log)"
"$ROOT/scripts/test-fresh-clone.sh" "$ARTIFACTS/fresh-clone.log" \
  || failed+=("the manifests tests in a fresh clone: scripts/test-fresh-clone.sh, log ${ARTIFACTS#"$ROOT/"}/fresh-clone.log")

say "infrastructure: scripts/infra.sh up"
"$ROOT/scripts/infra.sh" up

if ! command -v chromium >/dev/null 2>&1; then
  APT_LOG="$DATA/logs/apt.log"; mkdir -p "$(dirname "$APT_LOG")"
  say "installing Debian's chromium for the browser tests (log: $APT_LOG)"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""
  elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"
  else say "installing chromium needs root or sudo; install it (apt-get install chromium) and run again"; exit 1; fi
  $SUDO apt-get update -q >>"$APT_LOG" 2>&1 || { say "apt-get update failed; see $APT_LOG"; exit 1; }
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >>"$APT_LOG" 2>&1 \
    || { say "apt-get install chromium failed; see $APT_LOG"; exit 1; }
fi

if [ -x "$ROOT/scripts/build-web.sh" ]; then "$ROOT/scripts/build-web.sh" --test; fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
set +e
dotnet test "$ROOT/TaskManagement.sln" -nologo "$@" 2>&1 | tee "$ARTIFACTS/dotnet-test.log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test assemblies, then whatever else failed.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$ARTIFACTS/dotnet-test.log"
if [ "$status" -ne 0 ]; then say "FAILED: dotnet test (exit $status; log ${ARTIFACTS#"$ROOT/"}/dotnet-test.log)"; fi
for f in "${failed[@]}"; do say "FAILED: $f"; done
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ ${#failed[@]} -gt 0 ]; then exit 1; fi
