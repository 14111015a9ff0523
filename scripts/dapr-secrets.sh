#!/usr/bin/env bash
# Writes .data/dapr-secrets.json (git-ignored) for the local-file Dapr secret store used by
# `dapr run -f .` (components/local/secretstore.yaml), from the credentials scripts/infra.sh
# generated in .data/infra.env. Same secret shape as the Kubernetes Secret `rabbitmq`.
#   scripts/infra.sh up && scripts/dapr-secrets.sh && dapr run -f .
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${TASKMGMT_DATA_DIR:-$ROOT/.data}"
ENV_FILE="$DATA/infra.env"
OUT="$DATA/dapr-secrets.json"
[ -f "$ENV_FILE" ] || { echo "missing $ENV_FILE: run scripts/infra.sh up first" >&2; exit 1; }
# shellcheck disable=SC1090
. "$ENV_FILE"
umask 077
# Passwords from infra.sh are alphanumeric, so they need no URI or JSON escaping.
cat >"$OUT" <<JSON
{
  "rabbitmq": {
    "connection-string": "amqp://${TASKMGMT_AMQP_USER}:${TASKMGMT_AMQP_PASSWORD}@${TASKMGMT_AMQP_HOST}:${TASKMGMT_AMQP_PORT}/",
    "username": "${TASKMGMT_AMQP_USER}",
    "password": "${TASKMGMT_AMQP_PASSWORD}"
  }
}
JSON
echo "wrote $OUT" >&2
