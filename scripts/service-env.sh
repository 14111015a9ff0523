# Sourced by run.sh (and dapr tooling): the local settings of each service, built from .data/infra.env.
# shellcheck shell=bash disable=SC2034
AUTH_URL="${AUTH_URL:-http://localhost:${TASKMGMT_AUTH_PORT:-5101}}"
TASKS_URL="${TASKS_URL:-http://localhost:${TASKMGMT_TASKS_PORT:-5102}}"
WEB_URL="${WEB_URL:-http://localhost:${TASKMGMT_WEB_PORT:-8080}}"
# Database__ServerVersion as Pomelo writes it (major.minor.patch-mariadb|mysql): the services parse it with
# ServerVersion.Parse, and the test harness gets it from Pomelo's ServerVersion.AutoDetect
# (tests/TaskManagement.Testing/Infrastructure.cs). Shell cannot call Pomelo, so this mirrors it:
# tests/scripts/service-env.test.sh checks the mapping, Auth.Tests' LocalRunSettingsTests the agreement.
if ! DB_SERVER_VERSION="$(mariadb --no-defaults -h "$TASKMGMT_DB_HOST" -P "$TASKMGMT_DB_PORT" -u "$TASKMGMT_DB_ADMIN_USER" -p"$TASKMGMT_DB_ADMIN_PASSWORD" -N -e 'SELECT VERSION()' \
  | sed -E 's/^([0-9]+\.[0-9]+\.[0-9]+).*MariaDB.*/\1-mariadb/; t; s/^([0-9]+\.[0-9]+\.[0-9]+).*/\1-mysql/; t; d')" \
  || [ -z "$DB_SERVER_VERSION" ]; then
  echo "MariaDB did not answer on $TASKMGMT_DB_HOST:$TASKMGMT_DB_PORT; see .data/mariadb/mariadb.err (scripts/infra.sh status)" >&2
  return 1
fi
EVENTS_ENV=(
  "Events__RabbitMq__Host=$TASKMGMT_AMQP_HOST" "Events__RabbitMq__Port=$TASKMGMT_AMQP_PORT"
  "Events__RabbitMq__Username=$TASKMGMT_AMQP_USER" "Events__RabbitMq__Password=$TASKMGMT_AMQP_PASSWORD"
)
AUTH_ENV=(
  "ConnectionStrings__Database=Server=$TASKMGMT_DB_HOST;Port=$TASKMGMT_DB_PORT;Database=auth;User=$TASKMGMT_AUTH_DB_USER;Password=$TASKMGMT_AUTH_DB_PASSWORD"
  "Database__ServerVersion=$DB_SERVER_VERSION" "Jwt__Issuer=$WEB_URL/api/auth" "OTEL_SERVICE_NAME=auth" "${EVENTS_ENV[@]}"
)
TASKS_ENV=(
  "ConnectionStrings__Database=Server=$TASKMGMT_DB_HOST;Port=$TASKMGMT_DB_PORT;Database=tasks;User=$TASKMGMT_TASKS_DB_USER;Password=$TASKMGMT_TASKS_DB_PASSWORD"
  "Database__ServerVersion=$DB_SERVER_VERSION" "Jwt__Issuer=$WEB_URL/api/auth" "Jwt__Authority=$AUTH_URL/api/auth" "OTEL_SERVICE_NAME=tasks" "${EVENTS_ENV[@]}"
)
WEB_ENV=("Gateway__AuthUrl=$AUTH_URL" "Gateway__TasksUrl=$TASKS_URL" "OTEL_SERVICE_NAME=web")
