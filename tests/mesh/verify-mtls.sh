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

pod_of() { kubectl -n "$NS" get pod -l "app.kubernetes.io/name=$1" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}' 2>/dev/null; }

# ---------------------------------------------------------------------------------------------
section "istioctl analyze -n $NS (no warnings or errors)"
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
      - {key: app.kubernetes.io/name, operator: In, values: [auth, tasks]}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {taskmanagement.io/mesh-test: probe}}}]
      ports: [{protocol: TCP, port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: mesh-test-probes-egress}
spec:
  podSelector: {matchLabels: {taskmanagement.io/mesh-test: probe}}
  policyTypes: [Egress]
  egress:
    - to: [{podSelector: {matchExpressions: [{key: app.kubernetes.io/name, operator: In, values: [auth, tasks]}]}}]
      ports: [{protocol: TCP, port: 8080}]
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
for target in "$JWKS" "http://tasks.$NS.svc.cluster.local:8080/api/tasks"; do
  code="$(kubectl -n "$NS" exec mesh-probe-plain -c curl -- curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$target" 2>/dev/null)"
  rc=$?
  if [ "$rc" -ne 0 ] && { [ -z "$code" ] || [ "$code" = "000" ]; }; then
    pass "no sidecar -> $target refused (curl exit $rc: connection reset/closed, no HTTP answer)"
  else
    fail "no sidecar -> $target answered HTTP $code (plaintext accepted: STRICT not enforced)"
  fi
done
code="$(kubectl -n "$NS" exec mesh-probe-meshed -c curl -- curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "$JWKS" 2>/dev/null)"
if [ "$code" = "200" ]; then
  pass "with sidecar (sa/tasks) -> JWKS 200 over mTLS"
else
  fail "with sidecar (sa/tasks) -> JWKS answered '$code', expected 200"
fi
code="$(kubectl -n "$NS" exec mesh-probe-meshed -c curl -- curl -sS -o /dev/null -w '%{http_code}' --max-time 10 -X POST \
  -H 'content-type: application/json' -d '{}' "http://auth.$NS.svc.cluster.local:8080/api/auth/login" 2>/dev/null)"
if [ "$code" = "403" ]; then
  pass "with sidecar (sa/tasks) -> /api/auth/login 403: AuthorizationPolicy limits tasks to the JWKS"
else
  fail "with sidecar (sa/tasks) -> /api/auth/login answered '$code', expected 403 (RBAC: access denied)"
fi

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

# ---------------------------------------------------------------------------------------------
echo
if [ "$FAILURES" -eq 0 ]; then echo "mesh checks: all passed"; exit 0; fi
echo "mesh checks: $FAILURES failed"; exit 1
