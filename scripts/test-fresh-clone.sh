#!/usr/bin/env bash
# Proves that the repository needs nothing outside itself: clones the committed HEAD into an empty
# temporary directory (nothing beside it) and runs the manifests tests there.
# Called by scripts/test.sh; uncommitted changes are not in the clone.
#
#   scripts/test-fresh-clone.sh [LOG]   output to LOG (default .artifacts/fresh-clone.log)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_TAG=fresh-clone
# shellcheck source-path=SCRIPTDIR source=lib/on-error.sh
. "$ROOT/scripts/lib/on-error.sh"
LOG="${1:-$ROOT/.artifacts/fresh-clone.log}"
mkdir -p "$(dirname "$LOG")"
SEE_LOG=$LOG

if ! command -v git >/dev/null 2>&1 || ! git -C "$ROOT" rev-parse --verify -q HEAD >/dev/null 2>&1; then
  echo "[fresh-clone] skipped: $ROOT is not a git checkout with a commit (nothing to clone)" >&2
  exit 0
fi
changes=$(git -C "$ROOT" status --porcelain --untracked-files=no | wc -l)
if [ "$changes" -gt 0 ]; then
  echo "[fresh-clone] note: $changes uncommitted change(s) are not in the clone; it tests HEAD $(git -C "$ROOT" rev-parse --short HEAD)" >&2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/taskmgmt-fresh-clone.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "clone of $ROOT at $(git -C "$ROOT" rev-parse HEAD) into $tmp/x" >"$LOG"
if ! git clone --quiet --no-hardlinks "$ROOT" "$tmp/x" >>"$LOG" 2>&1; then
  echo "[fresh-clone] git clone of $ROOT failed; see $LOG" >&2; exit 1
fi
# Beside the clone there is nothing, so anything that reaches outside the clone fails.
echo "beside the clone: $(ls -A "$tmp")" >>"$LOG"
# A switch that skips tests must not hide what this checks.
if ! (cd "$tmp/x" && env -u TASKMGMT_NO_SHARED_SCHEMAS dotnet test tests/TaskManagement.Manifests.Tests -nologo) >>"$LOG" 2>&1; then
  echo "[fresh-clone] FAILED: the manifests tests fail in a fresh clone with nothing beside it; see $LOG" >&2
  { grep -E 'Failed!|error [A-Z]+[0-9]+:' "$LOG" | sort -u | head -n 5
    grep -m 1 -A 1 'Error Message:' "$LOG" | tail -n 1
    grep -E '^\s*Failed [A-Za-z]' "$LOG" | head -n 8; } | sed -E 's/^\s*/    /' >&2 || true
  exit 1
fi
echo "[fresh-clone] ok: the manifests tests pass in a fresh clone of HEAD with nothing beside it" >&2
