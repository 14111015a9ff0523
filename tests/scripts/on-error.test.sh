#!/usr/bin/env bash
# scripts/lib/on-error.sh: a script that fails under set -e says which command failed, where, and
# which log to read, also inside functions, subshells and command substitutions.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
failures=0
check() { # name expected-exit script-body expected-lines...
  local name=$1 want=$2 body=$3 out status line; shift 3
  printf 'set -euo pipefail\nLOG_TAG=demo\n. "%s/scripts/lib/on-error.sh"\n%s\n' "$ROOT" "$body" >"$tmp/demo.sh"
  out="$(bash "$tmp/demo.sh" 2>&1)"; status=$?
  local ok=1
  [ "$status" -eq "$want" ] || ok=0
  for line in "$@"; do grep -qxF -- "$line" <<<"$out" || ok=0; done
  if [ "$ok" -eq 1 ]; then echo "  ok   $name"
  else printf '  FAIL %s: exit %s, output:\n%s\n' "$name" "$status" "$out"; failures=$((failures + 1)); fi
}

check "a failing command names itself, its line and the step's log" 3 \
  'SEE_LOG=/var/log/demo.log
echo start
sh -c "exit 3"' \
  "start" "[demo] FAILED (exit 3) at $tmp/demo.sh:6: sh -c \"exit 3\"" "[demo] see /var/log/demo.log"
check "inside a function: the command, not the call" 1 \
  'f() {
  grep -q needle /dev/null
}
f' \
  "[demo] FAILED (exit 1) at $tmp/demo.sh:5: grep -q needle /dev/null"
check "a function that ends with a false && list (the policy-rc.d bug) is reported" 1 \
  'g() { [ 0 -eq 1 ] && echo never; }
g' \
  "[demo] FAILED (exit 1) at $tmp/demo.sh:5: [ 0 -eq 1 ]"
check "in a subshell: reported once, from inside" 4 \
  '( true; sh -c "exit 4" )' \
  "[demo] FAILED (exit 4) at $tmp/demo.sh:4: sh -c \"exit 4\""
[ "$(bash "$tmp/demo.sh" 2>&1 | grep -c FAILED)" -eq 1 ] || { echo "  FAIL the subshell failure was reported more than once"; failures=$((failures + 1)); }
check "commands in conditions are not failures" 0 \
  'if grep -q x /dev/null; then :; fi
grep -q x /dev/null || true
echo done' "done"
[ "$failures" -eq 0 ]
