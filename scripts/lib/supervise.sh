# Sourced by run.sh: keeps services running as a process supervisor would.
#
#   supervise NAME LOG COMMAND...   run COMMAND (output to LOG, truncated first) and restart it whenever
#                                   it exits, after 1 s, 2 s, 4 s … up to SUPERVISE_MAX_DELAY; the delay
#                                   goes back to 1 s once it has stayed up SUPERVISE_STABLE_SECONDS.
#                                   Says so on stderr: "[run] tasks exited with code 137; restarting in 2 s"
#   stop_supervised                 stop every supervised command (TERM, KILL after SUPERVISE_STOP_TIMEOUT s)
#                                   and wait until all of them and their supervisors have ended.
#                                   Supervisors ignore INT and HUP: the caller traps them and calls this.
# shellcheck shell=bash
: "${SUPERVISE_TAG:=${LOG_TAG:-run}}"
: "${SUPERVISE_MAX_DELAY:=30}"
: "${SUPERVISE_STABLE_SECONDS:=60}"
: "${SUPERVISE_STOP_TIMEOUT:=20}"
SUPERVISED=()

supervise() {
  _supervise_loop "$@" &
  SUPERVISED+=($!)
}

stop_supervised() {
  local pid
  for pid in "${SUPERVISED[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SUPERVISED[@]}"; do wait "$pid" 2>/dev/null || true; done
  SUPERVISED=()
}

_supervise_loop() { # runs in its own subshell
  local name=$1 log=$2; shift 2
  local child="" pause="" delay=1 started code stopping=""
  # A supervisor decides about exit codes itself, and a caller's ERR trap must not fire for them.
  set +e; trap - ERR
  # Only TERM (from stop_supervised) stops it: a Ctrl-C or hang-up reaches the whole process group,
  # and the caller stops everything in answer. Two signals racing into two handlers could crash bash.
  trap '' INT HUP
  trap '_supervise_stop' TERM
  : >"$log"
  while :; do
    started=$SECONDS
    # Its own session: a Ctrl-C in the terminal reaches the supervisors, which stop their commands,
    # instead of the commands exiting on their own and being restarted.
    setsid "$@" >>"$log" 2>&1 </dev/null &
    child=$!
    wait "$child" 2>/dev/null; code=$?  # 2>/dev/null: without bash's own "Killed" line
    child=""
    if [ $((SECONDS - started)) -ge "$SUPERVISE_STABLE_SECONDS" ]; then delay=1; fi
    printf '[%s] %s exited with code %s; restarting in %s s\n' "$SUPERVISE_TAG" "$name" "$code" "$delay" >&2
    printf '\n[%s] %s exited with code %s at %s; restarting in %s s\n\n' \
      "$SUPERVISE_TAG" "$name" "$code" "$(date '+%F %T')" "$delay" >>"$log"
    sleep "$delay" & pause=$!
    wait "$pause"; pause=""
    delay=$((delay * 2 > SUPERVISE_MAX_DELAY ? SUPERVISE_MAX_DELAY : delay * 2))
  done
}

_supervise_stop() {
  # Traps are not changed inside a handler (bash 5.2 can free the running trap's text twice).
  if [ -n "$stopping" ]; then return; fi
  stopping=1
  # Not bash's own "Aborted"/"Terminated" lines for a command that dies of the signal.
  exec 2>/dev/null
  if [ -n "$pause" ]; then kill "$pause" 2>/dev/null; wait "$pause" 2>/dev/null; fi
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null
    # The shell reaps an ended child at once, so kill -0 fails as soon as it has gone.
    local i
    for ((i = 0; i < SUPERVISE_STOP_TIMEOUT * 10; i++)); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$child" 2>/dev/null
    wait "$child" 2>/dev/null
  fi
  exit 0
}
