# Sourced by the scripts that run under `set -e`: when a command fails, say which command failed,
# where, and which log to read, instead of exiting silently.
#   LOG_TAG  the prefix of every message (set before sourcing; defaults to the script's name)
#   SEE_LOG  the log of the step being run; a script sets it before a step that writes to a log
#   ON_ERROR_QUIET  set by a signal handler that is ending the script on purpose (instead of
#            changing the ERR trap inside a handler, which can crash bash 5.2)
# shellcheck shell=bash
: "${LOG_TAG:=$(basename "$0" .sh)}"
SEE_LOG=""
# The trap also fires in functions and subshells.
set -o errtrace

report_failure() { # status line command source
  if [ -n "${ON_ERROR_QUIET:-}" ]; then return 0; fi
  # A failed ( subshell ) has already reported the command that failed inside it.
  case $3 in "("*) return 0 ;; esac
  local where=$4
  [ -n "${ROOT:-}" ] && where=${where#"$ROOT/"}
  printf '[%s] FAILED (exit %s) at %s:%s: %s\n' "$LOG_TAG" "$1" "$where" "$2" "$3" >&2
  if [ -n "$SEE_LOG" ]; then printf '[%s] see %s\n' "$LOG_TAG" "$SEE_LOG" >&2; fi
}
trap 'report_failure "$?" "$LINENO" "$BASH_COMMAND" "${BASH_SOURCE[0]:-$0}"' ERR
