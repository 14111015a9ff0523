#!/usr/bin/env bash
# istioctl-verified mTLS checks for Task Management, against whatever cluster the current kubectl
# context points at (kind, k3d, EKS, ...). Expects the product deployed as in docs/deployment.md:
# Istio from istio/install/istiooperator.yaml, Dapr, `k8s/overlays/<env>` and `istio/` applied.
#
#   tests/mesh/verify-mtls.sh
#
# Environment:
#   NAMESPACE     app namespace (default taskmanagement)
#   INGRESS_URL   base URL of the ingress NodePort (default: http://127.0.0.1:30080 if it answers,
#                 else http://<first node InternalIP>:30080)
#   INGRESS_TLS_URL  base URL of the HTTPS NodePort (default: the same host on :30443)
#   CURL_IMAGE    image for the probe pods (default curlimages/curl:8.11.1)
#   KEEP_PROBES=1 leave the probe pods for debugging
#
# Exit codes: 0 all checks passed; 1 a check failed; 2 a required tool is missing;
#             3 no cluster reachable (nothing was checked).
set -uo pipefail

NS="${NAMESPACE:-taskmanagement}"
CURL_IMAGE="${CURL_IMAGE:-curlimages/curl:8.11.1}"
APPS=(auth tasks web)
FAILURES=0
PROBE_LABEL="taskmanagement.io/mesh-test=probe"

pass() { printf '  PASS  %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; FAILURES=$((FAILURES + 1)); }
section() { printf '\n== %s\n' "$*"; }

command -v kubectl >/dev/null 2>&1 || { echo "missing required tool: kubectl" >&2; exit 2; }
if ! kubectl cluster-info --request-timeout=5s >/dev/null 2>&1; then
  echo "No Kubernetes cluster reachable from the current kubectl context ($(kubectl config current-context 2>/dev/null || echo none)); nothing was checked." >&2
  exit 3
fi
for tool in istioctl curl openssl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "missing required tool: $tool" >&2; exit 2; }
done
if ! kubectl get namespace "$NS" >/dev/null 2>&1; then
  echo "Namespace $NS not found: deploy the product first (docs/deployment.md)." >&2
  exit 1
fi

cleanup() {
  [ "${KEEP_PROBES:-0}" = "1" ] && return
  kubectl -n "$NS" delete pod -l "$PROBE_LABEL" --ignore-not-found --wait=false >/dev/null 2>&1
  kubectl -n "$NS" delete networkpolicy mesh-test-probes mesh-test-probes-egress --ignore-not-found >/dev/null 2>&1
}
trap cleanup EXIT

# A check that "plaintext is refused" passes on ANY connection failure, including a Service with no
# endpoints: every such check first requires ready endpoints behind the Service.
require_endpoints() { # service
  local ready
  ready="$(kubectl -n "$NS" get endpointslices -l "kubernetes.io/service-name=$1" \
    -o jsonpath='{range .items[*].endpoints[?(@.conditions.ready==true)]}{.addresses[0]}{" "}{end}' 2>/dev/null)"
  if [ -n "${ready// /}" ]; then pass "$1: ready endpoints ($ready)"; return 0; fi
  fail "$1: Service has no ready endpoints (a refused connection would prove nothing)"; return 1
}

pod_of() { kubectl -n "$NS" get pod -l "app.kubernetes.io/name=$1" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}' 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
section "istioctl analyze -n $NS (no warnings or errors)"
# The AuthorizationPolicies admit Prometheus from namespace `monitoring`; analyze reports IST0101
# (Error) for a source namespace that does not exist.
if kubectl get namespace monitoring >/dev/null 2>&1; then
  pass "namespace monitoring exists (AuthorizationPolicy source)"
else
  fail "namespace monitoring missing: create it (kubectl create namespace monitoring) or analyze reports IST0101"
fi
if out="$(istioctl analyze -n "$NS" --failure-threshold Warning 2>&1)"; then
  pass "analyze clean"
else
  fail "istioctl analyze reported problems:"; printf '%s\n' "$out" | sed 's/^/        /'
fi

# ---------------------------------------------------------------------------------------------
section "every app pod: STRICT mTLS and a valid workload certificate"
for app in "${APPS[@]}"; do
  pod="$(pod_of "$app")"
  if [ -z "$pod" ]; then fail "$app: no running pod"; continue; fi
  describe="$(istioctl x describe pod "$pod" -n "$NS" 2>&1)"
  if grep -q "Workload mTLS mode: STRICT" <<<"$describe"; then
    pass "$app ($pod): istioctl x describe -> Workload mTLS mode: STRICT"
  else
    fail "$app ($pod): STRICT not reported"; printf '%s\n' "$describe" | sed 's/^/        /'
  fi
  secrets="$(istioctl proxy-config secret "$pod" -n "$NS" 2>&1)"
  if grep -Eq '^default[[:space:]]+Cert Chain[[:space:]]+ACTIVE[[:space:]]+true' <<<"$secrets" \
     && grep -Eq '^ROOTCA[[:space:]]+CA[[:space:]]+ACTIVE[[:space:]]+true' <<<"$secrets"; then
    pass "$app: proxy-config secret -> workload cert chain and root CA ACTIVE and valid"
  else
    fail "$app: no valid workload certificate"; printf '%s\n' "$secrets" | sed 's/^/        /'
  fi
  # The certificate is the app's own SPIFFE identity.
  if istioctl proxy-config secret "$pod" -n "$NS" -o json 2>/dev/null \
      | grep -o '"inlineBytes": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/' | base64 -d 2>/dev/null \
      | openssl x509 -noout -ext subjectAltName 2>/dev/null | grep -q "spiffe://cluster.local/ns/$NS/sa/$app"; then
    pass "$app: certificate SAN is spiffe://cluster.local/ns/$NS/sa/$app"
  else
    fail "$app: certificate does not carry spiffe://cluster.local/ns/$NS/sa/$app"
  fi
done

# ---------------------------------------------------------------------------------------------
section "a pod without a sidecar is refused, a pod with one gets through"
# Two probe pods in the app namespace (so NetworkPolicy is not what refuses them: a temporary policy
# lets them reach auth/tasks on 8080). The meshed one runs as ServiceAccount `tasks`, which the
# AuthorizationPolicy allows to read Auth's JWKS.
kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: mesh-test-probes}
spec:
  podSelector:
    matchExpressions:
      - {key: app.kubernetes.io/name, operator: In, values: [auth, tasks, web, mysql, rabbitmq]}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {taskmanagement.io/mesh-test: probe}}}]
      ports: [{protocol: TCP, port: 8080}, {protocol: TCP, port: 3306}, {protocol: TCP, port: 5672}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: mesh-test-probes-egress}
spec:
  podSelector: {matchLabels: {taskmanagement.io/mesh-test: probe}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchExpressions: [{key: app.kubernetes.io/name, operator: In, values: [auth, tasks, web, mysql, rabbitmq]}]}}]
      ports: [{protocol: TCP, port: 8080}, {protocol: TCP, port: 3306}, {protocol: TCP, port: 5672}]
YAML
probe_pod() { # name, inject(true|false), serviceAccount
  kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $1
  labels: {taskmanagement.io/mesh-test: probe}
  annotations:
    sidecar.istio.io/inject: "$2"
    sidecar.istio.io/nativeSidecar: "true"
spec:
  serviceAccountName: $3
  automountServiceAccountToken: false
  securityContext: {runAsNonRoot: true, runAsUser: 100, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: curl
      image: $CURL_IMAGE
      command: ["sleep", "3600"]
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
YAML
}
probe_pod mesh-probe-plain false default
probe_pod mesh-probe-meshed true tasks
kubectl -n "$NS" wait --for=condition=Ready pod/mesh-probe-plain pod/mesh-probe-meshed --timeout=180s >/dev/null \
  || fail "probe pods did not become ready"

JWKS="http://auth.$NS.svc.cluster.local:8080/api/auth/.well-known/jwks.json"
probe_code() { # pod url -> HTTP status ("000" when no HTTP answer)
  kubectl -n "$NS" exec "$1" -c curl -- curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$2" 2>/dev/null || true
}
# positive control: the same request from a meshed pod gets an HTTP answer (200, or 403 from the
# server-side AuthorizationPolicy, which only runs after the mTLS handshake succeeded).
positive_control() { # app url
  local code; code="$(probe_code mesh-probe-meshed "$2")"
  case "$code" in
    200|403) pass "positive control: with sidecar -> $1 answered HTTP $code over mTLS" ;;
    *) fail "positive control: with sidecar -> $1 answered '$code' (mTLS path broken)" ;;
  esac
}
positive_control auth "$JWKS"
positive_control tasks "http://tasks.$NS.svc.cluster.local:8080/api/tasks"
positive_control web "http://web.$NS.svc.cluster.local:8080/"
for svc in auth tasks web; do
  case "$svc" in
    auth) target="$JWKS" ;;
    tasks) target="http://tasks.$NS.svc.cluster.local:8080/api/tasks" ;;
    web) target="http://web.$NS.svc.cluster.local:8080/" ;;
  esac
  require_endpoints "$svc" || continue
  code="$(kubectl -n "$NS" exec mesh-probe-plain -c curl -- curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$target" 2>/dev/null)"
  rc=$?
  if [ "$rc" -ne 0 ] && { [ -z "$code" ] || [ "$code" = "000" ]; }; then
    pass "no sidecar -> $target: plaintext refused (curl exit $rc: connection reset/closed, no HTTP answer)"
  else
    fail "no sidecar -> $target answered HTTP $code (plaintext accepted: STRICT not enforced)"
  fi
done
code="$(kubectl -n "$NS" exec mesh-probe-meshed -c curl -- curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST \
  -H 'content-type: application/json' -d '{}' "http://auth.$NS.svc.cluster.local:8080/api/auth/login" 2>/dev/null)"
if [ "$code" = "403" ]; then
  pass "with sidecar (sa/tasks) -> /api/auth/login 403: AuthorizationPolicy limits tasks to the JWKS"
else
  fail "with sidecar (sa/tasks) -> /api/auth/login answered '$code', expected 403 (RBAC: access denied)"
fi

# ---------------------------------------------------------------------------------------------
section "datastore hops (in-cluster MySQL / RabbitMQ): TCP port names, STRICT, plaintext refused"
for pair in mysql:3306:tcp-mysql rabbitmq:5672:tcp-amqp; do
  IFS=: read -r store port portname <<<"$pair"
  if ! kubectl -n "$NS" get statefulset "$store" >/dev/null 2>&1; then
    echo "  SKIP  $store: no in-cluster StatefulSet (managed service in this overlay)"; continue
  fi
  names="$(kubectl -n "$NS" get svc "$store" -o jsonpath='{.spec.ports[*].name}')"
  if grep -qw "$portname" <<<"$names"; then pass "$store: Service port $port is named $portname (Istio treats it as TCP)"; else fail "$store: port names '$names' lack $portname"; fi
  pod="$(pod_of "$store")"
  if [ -n "$pod" ] && istioctl x describe pod "$pod" -n "$NS" 2>&1 | grep -q "Workload mTLS mode: STRICT"; then
    pass "$store ($pod): STRICT"
  else
    fail "$store: no running pod with STRICT mTLS"
  fi
  require_endpoints "$store" || continue
  # MySQL greets first, AMQP answers the protocol header: under STRICT a plaintext client gets neither.
  hello=""; [ "$store" = "rabbitmq" ] && hello='AMQP\0\0\11\1'
  answer="$(kubectl -n "$NS" exec mesh-probe-plain -c curl -- sh -c \
    "(printf '$hello'; sleep 4) | curl -s --max-time 5 telnet://$store.$NS.svc.cluster.local:$port" 2>/dev/null | tr -dc '[:print:]' | head -c 200)"
  if [ -z "$answer" ]; then
    pass "no sidecar -> $store:$port: plaintext refused (no protocol answer)"
  else
    fail "no sidecar -> $store:$port answered in plaintext: $answer"
  fi
done

# ---------------------------------------------------------------------------------------------
section "Dapr: daprd ready, components loaded (GET /v1.0/metadata through a port-forward)"
for app in "${APPS[@]}"; do
  pod="$(pod_of "$app")"
  [ -z "$pod" ] && { fail "$app: no running pod"; continue; }
  ready="$(kubectl -n "$NS" get pod "$pod" -o jsonpath='{.status.containerStatuses[?(@.name=="daprd")].ready}')"
  [ "$ready" = "true" ] && pass "$app: daprd container ready" || fail "$app: daprd container not ready ('$ready')"
  [ "$app" = "web" ] && continue   # web loads no pub/sub component (scopes: auth, tasks)
  local_port=$((13500 + RANDOM % 1000))
  kubectl -n "$NS" port-forward "pod/$pod" "$local_port:3500" >/dev/null 2>&1 &
  pf=$!
  sleep 3
  metadata="$(curl -s --max-time 5 "http://127.0.0.1:$local_port/v1.0/metadata" || true)"
  kill "$pf" 2>/dev/null; wait "$pf" 2>/dev/null
  if grep -q '"name":"pubsub"' <<<"$metadata" && grep -q '"name":"secretstore"' <<<"$metadata"; then
    pass "$app: daprd loaded components pubsub + secretstore"
  else
    fail "$app: daprd metadata lacks pubsub/secretstore: ${metadata:0:300}"
  fi
done

# ---------------------------------------------------------------------------------------------
section "through the ingress NodePort (30080)"
if [ -z "${INGRESS_URL:-}" ]; then
  if curl -s -o /dev/null --max-time 3 http://127.0.0.1:30080/health; then
    INGRESS_URL="http://127.0.0.1:30080"
  else
    node_ip="$(kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')"
    INGRESS_URL="http://${node_ip}:30080"
  fi
fi
echo "  ingress: $INGRESS_URL"
user="meshtest$(date +%s)"
password="Mesh-Test-$(date +%s)-pw!"
curl -s -o /dev/null --max-time 15 -X POST -H 'content-type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$INGRESS_URL/api/auth/register"
login="$(curl -s --max-time 15 -X POST -H 'content-type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"$password\"}" "$INGRESS_URL/api/auth/login")"
token="$(sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' <<<"$login")"
if [ -n "$token" ]; then pass "registered and logged in through the gateway"; else fail "login through the gateway failed: $login"; fi

code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -H "Authorization: Bearer $token" "$INGRESS_URL/api/tasks")"
[ "$code" = "200" ] && pass "GET /api/tasks with a valid token -> 200" || fail "GET /api/tasks with a valid token -> $code"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 "$INGRESS_URL/api/tasks")"
[ "$code" = "403" ] || [ "$code" = "401" ] && pass "GET /api/tasks without a token -> $code" || fail "GET /api/tasks without a token -> $code (expected 403/401)"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -H "Authorization: Bearer not.a.token" "$INGRESS_URL/api/tasks")"
[ "$code" = "401" ] && pass "GET /api/tasks with an invalid token -> 401 (RequestAuthentication)" || fail "GET /api/tasks with an invalid token -> $code (expected 401)"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 "$INGRESS_URL/")"
[ "$code" = "200" ] && pass "GET / (SPA) without a token -> 200" || fail "GET / -> $code"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -X POST "$INGRESS_URL/api/events/users")"
[ "$code" = "403" ] || [ "$code" = "404" ] && pass "POST /api/events/users (Dapr route) not reachable from outside -> $code" || fail "POST /api/events/users -> $code"


# An event through the broker: deleting the account publishes user.deleted (Auth's outbox -> daprd ->
# RabbitMQ -> Tasks' daprd -> POST /api/events/users), and Tasks deletes the user's tasks. The token
# stays valid until it expires, so the same token lists the (now empty) task list.
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -X POST -H "Authorization: Bearer $token" -H 'content-type: application/json' \
  -d '{"title":"mesh test","description":"deleted by user.deleted"}' "$INGRESS_URL/api/tasks")"
[ "$code" = "201" ] && pass "POST /api/tasks -> 201" || fail "POST /api/tasks -> $code"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -X DELETE -H "Authorization: Bearer $token" "$INGRESS_URL/api/auth/me")"
[ "$code" = "204" ] || [ "$code" = "200" ] && pass "DELETE /api/auth/me -> $code" || fail "DELETE /api/auth/me -> $code"
deleted=0
for _ in $(seq 1 30); do
  body="$(curl -s --max-time 10 -H "Authorization: Bearer $token" "$INGRESS_URL/api/tasks")"
  if ! grep -q '"title"' <<<"$body"; then deleted=1; break; fi
  sleep 2
done
[ "$deleted" -eq 1 ] && pass "user.deleted reached Tasks through RabbitMQ: the user's tasks are gone" \
  || fail "user.deleted did not reach Tasks within 60 s (tasks still listed: ${body:0:200})"

# ---------------------------------------------------------------------------------------------
section "HTTPS on the gateway (443 -> NodePort 30443)"
INGRESS_TLS_URL="${INGRESS_TLS_URL:-$(sed -E 's#^http://([^:/]+)(:[0-9]+)?#https://\1:30443#' <<<"$INGRESS_URL")}"
code="$(curl -sk -o /dev/null -w '%{http_code}' --max-time 15 "$INGRESS_TLS_URL/")"
[ "$code" = "200" ] && pass "GET $INGRESS_TLS_URL/ -> 200 (TLS terminated by the gateway)" || fail "GET $INGRESS_TLS_URL/ -> '$code'"
code="$(curl -sk -o /dev/null -w '%{http_code}' --max-time 15 "$INGRESS_TLS_URL/METRICS")"
[ "$code" = "404" ] || [ "$code" = "403" ] && pass "GET /METRICS over HTTPS -> $code (internal)" || fail "GET /METRICS over HTTPS -> $code"

# ---------------------------------------------------------------------------------------------
echo
if [ "$FAILURES" -eq 0 ]; then echo "mesh checks: all passed"; exit 0; fi
echo "mesh checks: $FAILURES failed"; exit 1
