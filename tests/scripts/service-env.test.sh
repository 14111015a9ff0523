#!/usr/bin/env bash
# scripts/service-env.sh turns the server's SELECT VERSION() into Database__ServerVersion as Pomelo
# writes it (major.minor.patch-mariadb|mysql, what the services' ServerVersion.Parse reads and the test
# harness gets from Pomelo's ServerVersion.AutoDetect), and stops when the server gives none.
# A fake `mariadb` on PATH plays the server. That the script and Pomelo agree on the running server is
# checked by tests/TaskManagement.Auth.Tests/LocalRunSettingsTests.cs.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
failures=0
cat >"$tmp/mariadb" <<'SH'
#!/usr/bin/env bash
printf '%s' "$FAKE_VERSION"
exit "${FAKE_EXIT:-0}"
SH
chmod +x "$tmp/mariadb"

# detect VERSION_OUTPUT [EXIT]: sources service-env.sh against the fake server; prints the status and value.
detect() {
  FAKE_VERSION="$1" FAKE_EXIT="${2:-0}" PATH="$tmp:$PATH" bash -c '
    TASKMGMT_DB_HOST=db.invalid TASKMGMT_DB_PORT=3306 TASKMGMT_DB_ADMIN_USER=u TASKMGMT_DB_ADMIN_PASSWORD=p
    . "$1" 2>/dev/null && printf "ok %s" "$DB_SERVER_VERSION" || printf "refused"' _ "$ROOT/scripts/service-env.sh"
}
check() { # name version-output expected [exit]
  local got; got="$(detect "$2" "${4:-0}")"
  if [ "$got" = "$3" ]; then echo "  ok   $1"
  else printf '  FAIL %s: %q gave %q, expected %q\n' "$1" "$2" "$got" "$3"; failures=$((failures + 1)); fi
}

check "MariaDB" $'11.4.2-MariaDB\n' "ok 11.4.2-mariadb"
check "MariaDB with a distribution suffix" $'10.11.6-MariaDB-0+deb12u1-log\n' "ok 10.11.6-mariadb"
check "MySQL" $'8.0.36\n' "ok 8.0.36-mysql"
check "MySQL with a distribution suffix" $'8.0.36-0ubuntu0.22.04.1\n' "ok 8.0.36-mysql"
check "no answer stops the caller" "" "refused" 1
check "an answer that is no version stops the caller" $'ERROR 2002 (HY000)\n' "refused"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
