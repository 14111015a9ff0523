#!/usr/bin/env bash
# Builds the browser app (services/TaskManagement.Web/ClientApp) into services/TaskManagement.Web/wwwroot,
# which TaskManagement.Web serves. The built files are git-ignored; run this before starting Web.
#
#   scripts/build-web.sh          install dependencies if needed, type-check, build, print the gzip size
#   scripts/build-web.sh --test   the same, then run the front-end unit tests (Vitest)
#   scripts/build-web.sh --test-only   only the unit tests
#   scripts/build-web.sh --update-api  refresh ClientApp/openapi/{auth,tasks}.json from the real services (started by
#                                      the Web tests' harness: needs scripts/infra.sh up) and regenerate src/api/generated
#   scripts/build-web.sh --check-api   fail if src/api/generated differs from a fresh openapi-typescript run
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="$ROOT/services/TaskManagement.Web/ClientApp"
OUT="$ROOT/services/TaskManagement.Web/wwwroot"
STAMP="$APP/node_modules/.package-lock.sha256"

log() { printf '[build-web] %s\n' "$*" >&2; }

run_tests=0 build=1 api=""
case "${1:-}" in
  "") ;;
  --test) run_tests=1 ;;
  --test-only) run_tests=1 build=0 ;;
  --update-api) api=update build=0 ;;
  --check-api) api=check build=0 ;;
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "unknown option: $1 (use --test, --test-only, --update-api or --check-api)" >&2; exit 2 ;;
esac

command -v npm >/dev/null || { log "npm is required (Node.js 20.19+ or 22.12+)"; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)?0:1)' \
  || { log "Node.js $(node --version) is too old: Vite 7 needs 20.19+ or 22.12+"; exit 1; }

cd "$APP"
# npm ci only when node_modules is missing or the lockfile changed since the last install.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -d node_modules ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$lock_hash" ]; then
  log "installing dependencies (npm ci)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" >"$STAMP"
fi

if [ "$api" = update ]; then
  log "exporting the live OpenAPI documents of Auth and Tasks into ClientApp/openapi"
  TASKMGMT_UPDATE_OPENAPI=1 dotnet test "$ROOT/tests/TaskManagement.Web.Tests" -nologo -v q \
    --filter "FullyQualifiedName~ApiContractTests.The_committed_OpenAPI_documents_are_the_ones_the_services_serve" \
    || { log "exporting the documents failed (is the infrastructure up? scripts/infra.sh up)"; exit 1; }
  log "generating src/api/generated from them (openapi-typescript)"
  npm run --silent api:generate
  log "done: review and commit ClientApp/openapi and src/api/generated"
fi

if [ "$api" = check ]; then
  fresh="$(mktemp -d)"
  trap 'rm -rf "$fresh"' EXIT
  npm run --silent api:generate -- "$fresh"
  if ! diff -ru src/api/generated "$fresh" >&2; then
    log "src/api/generated is not what openapi-typescript makes of ClientApp/openapi: run scripts/build-web.sh --update-api"
    exit 1
  fi
  log "generated API types match the committed OpenAPI documents"
fi

if [ "$build" -eq 1 ]; then
  log "type-checking and building into ${OUT#"$ROOT/"}"
  npm run --silent build
  [ -f "$OUT/index.html" ] || { log "build produced no index.html"; exit 1; }
  js=0 css=0
  while IFS= read -r -d '' f; do
    size=$(gzip -9 -c "$f" | wc -c)
    case "$f" in *.js) js=$((js + size)) ;; *.css) css=$((css + size)) ;; esac
  done < <(find "$OUT/assets" -type f \( -name '*.js' -o -name '*.css' \) -print0)
  log "bundle size (gzip -9): JS $((js / 1024)).$(((js % 1024) * 10 / 1024)) KiB + CSS $((css / 1024)).$(((css % 1024) * 10 / 1024)) KiB = $(((js + css) / 1024)).$((((js + css) % 1024) * 10 / 1024)) KiB"
fi

if [ "$run_tests" -eq 1 ]; then
  log "running unit tests (vitest)"
  npm run --silent test
fi
