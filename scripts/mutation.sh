#!/usr/bin/env bash
# Mutation testing with Stryker.NET (dotnet-stryker, pinned in .config/dotnet-tools.json) on the core files.
# Not part of scripts/test.sh: a run takes ~15 min or more per test project on 2 cores, against the real
# MariaDB/RabbitMQ of scripts/infra.sh (start them first: scripts/infra.sh up).
#
#   scripts/mutation.sh                 # all three: events, tasks, auth
#   scripts/mutation.sh events          # one (stryker/<name>.json)
#   scripts/mutation.sh events --mutate "**/Inbox/InboxProcessor.cs"   # extra arguments go to dotnet stryker
#
# Reports: .artifacts/stryker/<name>/reports/mutation-report.{html,json}; the score per file is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

targets=(events tasks auth)
if [[ $# -gt 0 && -f "stryker/$1.json" ]]; then
  targets=("$1")
  shift
fi

dotnet tool restore >/dev/null

for name in "${targets[@]}"; do
  out="$root/.artifacts/stryker/$name"
  rm -rf "$out"
  case "$name" in
    events) tests=tests/TaskManagement.Events.Tests ;;
    tasks) tests=tests/TaskManagement.Tasks.Tests ;;
    auth) tests=tests/TaskManagement.Auth.Tests ;;
  esac
  echo "== Stryker: $name (stryker/$name.json, $tests) =="
  # Run from the test project's folder: from the root Stryker would take the whole solution.
  # perTest coverage: each mutant runs only the tests that reached it.
  (cd "$tests" && dotnet stryker --config-file "$root/stryker/$name.json" --output "$out" "$@") || echo "stryker exited with $? for $name"
  report="$out/reports/mutation-report.json"
  if [[ -f "$report" ]]; then
    python3 - "$report" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
detected = {"Killed", "Timeout"}
for path, entry in sorted(report["files"].items()):
    statuses = [m["status"] for m in entry["mutants"]]
    killed = sum(s in detected for s in statuses)
    survived = statuses.count("Survived")
    no_cov = statuses.count("NoCoverage")
    valid = killed + survived + no_cov
    if valid == 0:
        continue  # not among the files this configuration mutates
    score = 100.0 * killed / valid if valid else 100.0
    print(f"{score:6.1f} %  {path.split('/services/')[-1]}  (killed {killed}, survived {survived}, no coverage {no_cov}, ignored/compile errors {len(statuses) - valid})")
PY
  fi
done
