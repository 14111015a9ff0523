#!/usr/bin/env bash
# Rotates Auth's JWT signing key in a Kubernetes cluster without rejecting a single valid token.
#
#   scripts/rotate-signing-key.sh publish new-key.pem   # 1. publish the new key (verification only)
#   scripts/rotate-signing-key.sh activate              # 2. >= 6 min later: sign with it
#   scripts/rotate-signing-key.sh retire                # 3. after the longest token lifetime: drop the old key
#   scripts/rotate-signing-key.sh status
#
# Why three steps: the ingress gateway's Envoy caches Auth's JWKS for 300 s and does not refetch on an
# unknown `kid` (envoy#34000), and Tasks refreshes its JWKS copy on a timer too. A token signed with a
# key the caches have not seen yet is rejected, so the new key must be in the JWKS (as Auth's
# verification-only key) for longer than the cache lifetime before Auth signs with it. The old key
# stays published until every token it signed has expired.
#
# State lives in the Secret `auth-jwt`: `signing-key.pem` (Auth signs with it and publishes it) and the
# optional `verification-key.pem` (published, verifies only; Auth reads it as Jwt__PreviousKeyPem),
# plus an annotation with the time the current step finished rolling out. Each step replaces the
# Secret, restarts Auth and waits for the rollout before recording that time, and refuses to run
# out of order or too early.
#
# Environment: NAMESPACE (taskmanagement), SECRET (auth-jwt), DEPLOYMENT (auth),
#   PUBLISH_SECONDS (360 = Envoy's 300 s JWKS cache + margin; never below 300),
#   RETIRE_SECONDS (86700 = Auth's maximum token lifetime, 24 h, + 5 min clock skew),
#   KUBECTL (kubectl), ROTATE_NOW (epoch seconds, for tests; default: now).
set -euo pipefail

NS="${NAMESPACE:-taskmanagement}"
SECRET="${SECRET:-auth-jwt}"
DEPLOYMENT="${DEPLOYMENT:-auth}"
PUBLISH_SECONDS="${PUBLISH_SECONDS:-360}"
RETIRE_SECONDS="${RETIRE_SECONDS:-86700}"
KUBECTL="${KUBECTL:-kubectl}"
PUBLISHED_AT="taskmanagement.io/next-key-published-at"
ACTIVATED_AT="taskmanagement.io/new-key-activated-at"

die() { echo "rotate-signing-key: $*" >&2; exit 1; }
now() { echo "${ROTATE_NOW:-$(date +%s)}"; }
k() { "$KUBECTL" -n "$NS" "$@"; }

[ "$PUBLISH_SECONDS" -ge 300 ] || die "PUBLISH_SECONDS=$PUBLISH_SECONDS is below Envoy's 300 s JWKS cache"

# Secret values come back base64-encoded; an absent key is an empty string.
secret_value() { k get secret "$SECRET" -o "jsonpath={.data.${1//./\\.}}"; }
annotation() { k get secret "$SECRET" -o "jsonpath={.metadata.annotations.${1//./\\.}}"; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
chmod 0700 "$WORK"

# Replaces the whole Secret (data exactly as given; `apply` could keep a removed key), restarts Auth,
# waits until every pod runs with it, then records the step's completion time.
write_keys() { # signing-file [verification-file] annotation
  local signing="$1" verification="$2" stamp="$3"
  local args=(create secret generic "$SECRET" "--from-file=signing-key.pem=$signing")
  [ -n "$verification" ] && args+=("--from-file=verification-key.pem=$verification")
  k "${args[@]}" --dry-run=client -o yaml | k replace -f -
  k rollout restart "deployment/$DEPLOYMENT"
  k rollout status "deployment/$DEPLOYMENT" --timeout=10m
  [ -n "$stamp" ] && k annotate secret "$SECRET" --overwrite "$stamp=$(now)"
  return 0
}

decode_to() { # base64 file
  printf '%s' "$1" | base64 -d > "$2"
}

# Time since the step that stamped ANNOTATION, in $waited, and what is left of SECONDS, in $remaining;
# dies with NOT-STARTED when no such step is pending.
since_step() { # annotation seconds not-started
  local stamp
  stamp="$(annotation "$1" || true)"
  { [ -n "$next" ] && [ -n "$stamp" ]; } || die "$3"
  waited=$(( $(now) - stamp ))
  remaining=$(( $2 - waited ))
}

current="$(secret_value signing-key.pem)" || die "cannot read Secret $NS/$SECRET"
[ -n "$current" ] || die "Secret $NS/$SECRET has no signing-key.pem"
next="$(secret_value verification-key.pem || true)"

case "${1:-}" in
  publish)
    new_key="${2:-}"
    [ -f "$new_key" ] || die "usage: $0 publish NEW-KEY.pem"
    grep -q "PRIVATE KEY" "$new_key" || die "$new_key is not a PEM private key"
    [ -z "$next" ] || die "a verification key is already published: run 'activate' or 'retire' first"
    decode_to "$current" "$WORK/current.pem"
    cmp -s "$WORK/current.pem" "$new_key" && die "$new_key is the current signing key"
    write_keys "$WORK/current.pem" "$new_key" "$PUBLISHED_AT"
    echo "published: the new key is in the JWKS; run 'activate' in ${PUBLISH_SECONDS}s or later"
    ;;
  activate)
    since_step "$PUBLISHED_AT" "$PUBLISH_SECONDS" "nothing published: run 'publish NEW-KEY.pem' first"
    [ "$remaining" -le 0 ] \
      || die "the new key was published ${waited}s ago; caches may not know it yet: wait ${remaining}s more"
    decode_to "$current" "$WORK/old.pem"
    decode_to "$next" "$WORK/new.pem"
    # The old key stays published (verification only) for the tokens it already signed.
    write_keys "$WORK/new.pem" "$WORK/old.pem" "$ACTIVATED_AT"
    echo "activated: Auth signs with the new key; run 'retire' in ${RETIRE_SECONDS}s or later"
    ;;
  retire)
    since_step "$ACTIVATED_AT" "$RETIRE_SECONDS" "no activated rotation to finish"
    [ "$remaining" -le 0 ] || die "tokens signed with the old key may still be valid: wait ${remaining}s more"
    decode_to "$current" "$WORK/current.pem"
    write_keys "$WORK/current.pem" "" ""
    echo "retired: only the new key is published"
    ;;
  status)
    echo "signing key: present; verification key: $([ -n "$next" ] && echo present || echo none)"
    echo "published at: $(annotation "$PUBLISHED_AT" || true); activated at: $(annotation "$ACTIVATED_AT" || true)"
    ;;
  *)
    sed -n '2,8p' "$0"; exit 2 ;;
esac
