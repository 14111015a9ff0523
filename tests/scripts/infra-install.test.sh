#!/usr/bin/env bash
# scripts/infra.sh install with a stubbed apt-get, sudo and id, against a policy-rc.d and server
# paths in a temporary directory: it exits 0, installs what is missing, leaves an existing
# policy-rc.d alone, removes one it created, and names the failing apt step and its log.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
INFRA="${INFRA_SCRIPT:-$ROOT/scripts/infra.sh}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { printf '  FAIL %s: %s\n' "$case_name" "$*"; failures=$((failures + 1)); }

# Stubs: apt-get records its arguments and whether policy-rc.d was in place during `install`, then
# "installs" by creating the server files; sudo records itself and runs the command; id fakes the uid.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/apt-get" <<'SH'
#!/usr/bin/env bash
echo "apt-get $*" >>"$STUB_LOG"
case " $* " in
  *" update "*) if [ "${APT_FAIL:-}" = update ]; then echo "E: could not resolve deb.debian.org"; exit 100; fi ;;
  *" install "*)
    echo "policy during install: $(cat "$TASKMGMT_POLICY_RC_D" 2>/dev/null | tr '\n' ' ')" >>"$STUB_LOG"
    echo "DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-}" >>"$STUB_LOG"
    if [ "${APT_FAIL:-}" = install ]; then echo "E: Unable to locate package mariadb-server"; exit 100; fi
    for p in "$@"; do case $p in
      mariadb-server) touch "$TASKMGMT_MARIADBD_BIN" && chmod +x "$TASKMGMT_MARIADBD_BIN" ;;
      mariadb-client) touch "$TASKMGMT_MARIADB_BIN" && chmod +x "$TASKMGMT_MARIADB_BIN" ;;
      rabbitmq-server) touch "$TASKMGMT_RABBITMQ_SERVER_BIN" && chmod +x "$TASKMGMT_RABBITMQ_SERVER_BIN" ;;
    esac; done ;;
esac
exit 0
SH
cat >"$tmp/bin/sudo" <<'SH'
#!/usr/bin/env bash
echo "sudo $1" >>"$STUB_LOG"
exec "$@"
SH
cat >"$tmp/bin/id" <<'SH'
#!/usr/bin/env bash
if [ "${1:-}" = -u ]; then echo "$FAKE_UID"; else exec /usr/bin/id "$@"; fi
SH
chmod +x "$tmp/bin/"*

# run_install NAME [VAR=value...]: a fresh fake system, then `infra.sh install`; sets out, status, dir.
run_install() {
  case_name=$1; shift
  dir="$tmp/$case_name"; mkdir -p "$dir/sys" "$dir/data"
  : >"$dir/stub.log"
  out="$(env PATH="$tmp/bin:$PATH" STUB_LOG="$dir/stub.log" FAKE_UID=0 \
    TASKMGMT_DATA_DIR="$dir/data" TASKMGMT_POLICY_RC_D="$dir/sys/policy-rc.d" \
    TASKMGMT_MARIADBD_BIN="$dir/sys/mariadbd" TASKMGMT_MARIADB_BIN="$dir/sys/mariadb" \
    TASKMGMT_RABBITMQ_SERVER_BIN="$dir/sys/rabbitmq-server" \
    "$@" bash "$INFRA" install 2>&1)"
  status=$?
}
installed() { grep '^apt-get .*install' "$dir/stub.log" | sed 's/.*--no-install-recommends //'; }

existing_policy() { # the Docker case: policy-rc.d exists before the install
  mkdir -p "$tmp/existing-policy/sys"
  printf '#!/bin/sh\nexit 101 # from the image\n' >"$tmp/existing-policy/sys/policy-rc.d"
  run_install existing-policy
  [ "$status" -eq 0 ] || fail "exit $status, expected 0; output: $out"
  [ "$(installed)" = "mariadb-server mariadb-client rabbitmq-server" ] || fail "installed '$(installed)'"
  grep -q 'from the image' "$dir/sys/policy-rc.d" 2>/dev/null || fail "the existing policy-rc.d was removed or changed"
  grep -q '^DEBIAN_FRONTEND=noninteractive$' "$dir/stub.log" || fail "apt-get install ran without DEBIAN_FRONTEND=noninteractive"
}

created_policy() { # a plain machine, as a user with sudo: policy-rc.d is created for the install, then removed
  run_install created-policy FAKE_UID=1000
  [ "$status" -eq 0 ] || fail "exit $status, expected 0; output: $out"
  [ "$(installed)" = "mariadb-server mariadb-client rabbitmq-server" ] || fail "installed '$(installed)'"
  grep -q '^policy during install: #!/bin/sh exit 101 $' "$dir/stub.log" || fail "no policy-rc.d during apt-get install"
  [ ! -e "$dir/sys/policy-rc.d" ] || fail "the policy-rc.d it created was left behind"
  grep -q '^sudo apt-get$' "$dir/stub.log" || fail "apt-get did not run through sudo as a non-root user"
}

only_missing() { # only what is missing is installed; nothing at all when everything is there
  mkdir -p "$tmp/only-missing/sys"; touch "$tmp/only-missing/sys/"{mariadbd,mariadb}; chmod +x "$tmp/only-missing/sys/"*
  run_install only-missing
  [ "$status" -eq 0 ] || fail "exit $status, expected 0; output: $out"
  [ "$(installed)" = "rabbitmq-server" ] || fail "installed '$(installed)', expected rabbitmq-server only"
  : >"$dir/stub.log"; rm -rf "$dir/data"
  run_install only-missing
  if [ "$status" -ne 0 ] || [ -s "$dir/stub.log" ]; then fail "second run: exit $status, apt calls: $(cat "$dir/stub.log")"; fi
}

apt_install_fails() { # the failure names the step and the log, and a created policy-rc.d is still removed
  run_install install-fails APT_FAIL=install
  [ "$status" -ne 0 ] || fail "exit 0 although apt-get install failed"
  grep -q "apt-get install mariadb-server mariadb-client rabbitmq-server failed (exit 100); see $dir/data/logs/apt.log" <<<"$out" \
    || fail "no message naming apt-get install and its log; output: $out"
  grep -q 'Unable to locate package' "$dir/data/logs/apt.log" || fail "apt's output is not in the log"
  [ ! -e "$dir/sys/policy-rc.d" ] || fail "the policy-rc.d it created was left behind after the failure"
}

apt_update_fails() {
  run_install update-fails APT_FAIL=update
  [ "$status" -ne 0 ] || fail "exit 0 although apt-get update failed"
  grep -q "apt-get update failed; see $dir/data/logs/apt.log" <<<"$out" || fail "no message naming apt-get update; output: $out"
}

for t in existing_policy created_policy only_missing apt_install_fails apt_update_fails; do
  before=$failures; $t
  [ "$failures" -eq "$before" ] && echo "  ok   $t"
done
[ "$failures" -eq 0 ]
