#!/usr/bin/env bash
# The peer audits (README "Peer audits"): graphql-http's GraphQL-over-HTTP audits (--strict) and
# the hardening probe, both from ../shared/tools/peers, against a production-mode server
# (CREDIT_BANK_ENV=production: introspection, suggestions and GraphiQL off) on a scratch SQLite
# file and a free loopback port. Needs node >= 18 and npm. The server is stopped by its PID on
# exit, also on failure.
#
#   .ci/peer-audits.sh                      # target/debug/credit-bank (cargo build -p credit-bank)
#   BIN=target/release/credit-bank .ci/peer-audits.sh
#   PEERS_DIR=/path/to/peers .ci/peer-audits.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${BIN:-${CARGO_TARGET_DIR:-target}/debug/credit-bank}"
# The peers live beside the repository (../shared/tools/peers); a clone elsewhere finds them at the
# team's shared folder. Without them there is nothing to audit with: say so and stop cleanly.
peers_src="${PEERS_DIR:-}"
if [ -z "$peers_src" ]; then
  for candidate in ../shared/tools/peers /work/shared/tools/peers; do
    if [ -d "$candidate" ]; then peers_src=$candidate; break; fi
  done
fi
if [ -z "$peers_src" ] || [ ! -d "$peers_src" ]; then
  echo "peer audits SKIPPED: the peer tools were not found (set PEERS_DIR to ../shared/tools/peers)" >&2
  exit 0
fi
work=$(mktemp -d /tmp/cb-peer-audits.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$peers_src" "$work/peers"
(cd "$work/peers" && npm install --no-audit --no-fund --silent)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CREDIT_BANK_ENV=production JWT_SECRET="peer-audit-secret-peer-audit-secret-0123" \
  DATABASE_URL="sqlite://$work/audit.db?mode=rwc" SIGNING_KEY_FILE="$work/signing.key" \
  BIND="127.0.0.1:$port" RUST_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
url="http://127.0.0.1:$port/graphql"

status=0
echo "== graphql-http serverAudits (--strict) against a production-mode server"
node "$work/peers/audit-graphql-http.mjs" "$url" --strict || status=1
echo "== hardening probe (--bearer-only: the API reads tokens from the Authorization header only)"
node "$work/peers/gql-security-probe.mjs" "$url" --bearer-only || status=1
exit "$status"
