#!/usr/bin/env bash
# tests/bench/http-side-by-side.sh — Credit Bank and PostGraphile 4, side by side over HTTP.
#
# What it does
#   1. Creates a scratch PostgreSQL database ($BENCH_DB, default cb_bench; dropped first), runs our
#      migrations into it and loads it with `credit-bank bench read --courses $COURSES --records
#      $RECORDS` (one provider with $COURSES published courses; one Shinan school with
#      $RECORDS/200 teachers holding 200 certified records each), then VACUUM ANALYZE.
#   2. Installs PostGraphile 4 (tests/bench/package.json + package-lock.json, with
#      postgraphile-plugin-connection-filter for the search row) into $BENCH_WORK/postgraphile,
#      starts our release server (`credit-bank serve`, RUST_LOG=warn, Redis) and PostGraphile
#      (`--cluster-workers 2 --disable-query-log`) on that database, and waits until both answer.
#   3. Through the public API: creates a SYSTEM_ADMIN (`credit-bank create-admin`), logs in, gives
#      the first generated teacher a TEACHER login (`createAccount`) and logs in as that teacher:
#      rows (e) and (f) send that teacher's bearer token (PostGraphile gets no token: it runs as
#      the database superuser with no authorization at all).
#   4. For each query (tests/bench/queries/<row>.ours.graphql and <row>.postgraphile.graphql),
#      in $ROUNDS interleaved rounds (the server that goes first alternates), checks one answer
#      with curl (HTTP 200, no "errors"; a WARNING otherwise) and runs
#      `wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout $WRK_TIMEOUT --latency` with graphql-post.lua.
#   5. Prints a table (median req/s and median p99 over the rounds for each server, and the
#      ratios ours/PostGraphile) and writes it as Markdown to $RESULTS; raw figures go to
#      $BENCH_WORK/raw.tsv, every wrk output and server log to $BENCH_WORK/.
#   6. On exit (trap) stops both servers; the database stays unless DROP_DB=1.
#
# How to run it (from anywhere; PostgreSQL at 127.0.0.1:5432 with trust auth, Redis, Node 20,
# wrk, jq, curl and psql installed — `apt-get install wrk jq`):
#   cargo build --release -p credit-bank
#   tests/bench/http-side-by-side.sh                                    # 100,000 courses, 1,000,000 records
#   COURSES=10000 RECORDS=100000 ROUNDS=1 DURATION=5s tests/bench/http-side-by-side.sh   # a quick trial
#   REUSE_DB=1 QUERIES="page account" tests/bench/http-side-by-side.sh  # keep the loaded database, two rows
#
# Settings (environment): BENCH_DB (cb_bench), PG_URL (postgres://postgres@127.0.0.1:5432),
# REDIS_URL (redis://127.0.0.1:6379), COURSES (100000), RECORDS (1000000), ROUNDS (3),
# DURATION (10s), WARMUP (3s per query and server before the first round; 0 skips it),
# THREADS (1), CONNECTIONS (16), WRK_TIMEOUT (10s: wrk's default of 2 s would leave the slowest
# answers out of the latencies), QUERIES (all rows: page page-count search search-count level
# account compliance), OUR_PORT (18080), POSTGRAPHILE_PORT (15000), CREDIT_BANK_BIN
# (target/release/credit-bank), BENCH_WORK (/tmp/cb-bench), RESULTS ($BENCH_WORK/results.md),
# REUSE_DB (1: keep an already loaded $BENCH_DB), DROP_DB (1: drop it on exit),
# RESPONSE_CACHE_SECONDS (30, our server's default; 0 runs ours with its response cache off, to
# measure every request executed).
#
# Both servers, PostgreSQL and wrk share the machine: the figures compare the two servers on it,
# they are not capacity figures.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

BENCH_DB=${BENCH_DB:-cb_bench}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
COURSES=${COURSES:-100000}
RECORDS=${RECORDS:-1000000}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-16}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
QUERIES=${QUERIES:-page page-count search search-count level account compliance}
OUR_PORT=${OUR_PORT:-18080}
POSTGRAPHILE_PORT=${POSTGRAPHILE_PORT:-15000}
CREDIT_BANK_BIN=${CREDIT_BANK_BIN:-$ROOT/target/release/credit-bank}
BENCH_WORK=${BENCH_WORK:-/tmp/cb-bench}
RESULTS=${RESULTS:-$BENCH_WORK/results.md}
REUSE_DB=${REUSE_DB:-0}
DROP_DB=${DROP_DB:-0}
RESPONSE_CACHE_SECONDS=${RESPONSE_CACHE_SECONDS:-30}

DB_URL="$PG_URL/$BENCH_DB"
OURS="http://127.0.0.1:$OUR_PORT/graphql"
THEIRS="http://127.0.0.1:$POSTGRAPHILE_PORT/graphql"
ADMIN_USER=bench-admin
TEACHER_USER=bench-teacher
PASSWORD=bench-password-12
LUA="$HERE/graphql-post.lua"
PG_DIR="$BENCH_WORK/postgraphile"
RAW="$BENCH_WORK/raw.tsv"

declare -A LABEL=(
  [page]="(a) courses: first page of 20 with provider"
  [page-count]="(b) courses: first page of 20 with provider + totalCount"
  [search]="(c) courses: search \"第12\", first 20"
  [search-count]="(c') courses: search \"第12\", first 20 + totalCount"
  [level]="(d) courses: filter level COUNTY, first 20"
  [account]="(e) a teacher's creditAccount (200 records)"
  [compliance]="(f) a teacher's compliance, 2026–2030 cycle"
)

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
warn() { log "WARNING: $*"; WARNINGS+=("$*"); }
WARNINGS=()

psql_in() { # psql_in DB ARGS...: quiet, stop on the first error, unaligned output
  local db=$1
  shift
  psql -X -q -v ON_ERROR_STOP=1 -At "$PG_URL/$db" "$@"
}

OUR_PID=
PG_PID=
WRK_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -z $WRK_PID ]] || kill -TERM "$WRK_PID" 2>/dev/null || true
  for pid in $OUR_PID $PG_PID; do
    # Each server runs in its own process group (setsid), PostGraphile's cluster workers included.
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in $OUR_PID $PG_PID; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [[ $DROP_DB == 1 ]]; then
    log "dropping $BENCH_DB"
    psql_in postgres -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)" || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in wrk jq curl psql node npm setsid redis-cli; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[[ -x $CREDIT_BANK_BIN ]] || die "$CREDIT_BANK_BIN is missing: cargo build --release -p credit-bank"
for q in $QUERIES; do
  [[ -n ${LABEL[$q]:-} && -f $HERE/queries/$q.ours.graphql && -f $HERE/queries/$q.postgraphile.graphql ]] ||
    die "unknown query row $q"
done
mkdir -p "$BENCH_WORK" "$BENCH_WORK/bodies" "$BENCH_WORK/wrk" "$(dirname "$RESULTS")"
rm -f "$BENCH_WORK"/wrk/*.txt "$BENCH_WORK"/wrk/*.json
# Other work on the machine (a build, a test run) skews every figure: say so.
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_AT_START%% *}" 'BEGIN { exit !(l > 1.0) }'; then
  warn "the machine is busy at the start (load average $LOAD_AT_START): the figures will be noisy"
fi

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain -- api domain entities migration 2>/dev/null | head -c1)

# ---- 1. the database ------------------------------------------------------------------------
loaded() {
  [[ $(psql_in postgres -c "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'") == 1 ]] &&
    [[ $(psql_in "$BENCH_DB" -c "SELECT to_regclass('public.credit_records') IS NOT NULL" 2>/dev/null) == t ]] &&
    [[ $(psql_in "$BENCH_DB" -c "SELECT count(*) > 0 FROM credit_records") == t ]]
}
if [[ $REUSE_DB == 1 ]] && loaded; then
  log "reusing $BENCH_DB: $(psql_in "$BENCH_DB" -c "SELECT (SELECT count(*) FROM courses) || ' courses, ' || (SELECT count(*) FROM credit_records) || ' records'")"
  DATABASE_URL="$DB_URL" "$CREDIT_BANK_BIN" migrate >/dev/null
else
  log "creating $BENCH_DB"
  psql_in postgres -c "DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)"
  psql_in postgres -c "CREATE DATABASE \"$BENCH_DB\""
  DATABASE_URL="$DB_URL" RUST_LOG=warn "$CREDIT_BANK_BIN" migrate
  log "bench read --courses $COURSES --records $RECORDS (takes a while)"
  DATABASE_URL="$DB_URL" RUST_LOG=warn "$CREDIT_BANK_BIN" bench read --courses "$COURSES" --records "$RECORDS" |
    tee "$BENCH_WORK/bench-read.txt"
  log "VACUUM ANALYZE"
  psql_in "$BENCH_DB" -c "VACUUM (ANALYZE)"
fi
if [[ $(psql_in "$BENCH_DB" -c "SELECT count(*) FROM accounts WHERE username = '$ADMIN_USER'") == 0 ]]; then
  (cd "$BENCH_WORK" && DATABASE_URL="$DB_URL" RUST_LOG=warn CREDIT_BANK_ADMIN_PASSWORD="$PASSWORD" \
    "$CREDIT_BANK_BIN" create-admin --username "$ADMIN_USER")
fi
LOADED=$(psql_in "$BENCH_DB" -c "SELECT (SELECT count(*) FROM courses) || ' courses, ' || (SELECT count(*) FROM credit_records) || ' credit records'")
# The first generated teacher (bench read gives every teacher 200 records).
TEACHER_UUID=$(psql_in "$BENCH_DB" -c "SELECT teacher_id FROM credit_records ORDER BY id LIMIT 1")
[[ -n $TEACHER_UUID ]] || die "no credit record in $BENCH_DB"
TEACHER_ID=$(printf 'Teacher:%s' "$TEACHER_UUID" | base64 -w0)
log "teacher $TEACHER_UUID ($TEACHER_ID): $(psql_in "$BENCH_DB" -c "SELECT count(*) FROM credit_records WHERE teacher_id = '$TEACHER_UUID'") records"

# ---- 2. the servers -------------------------------------------------------------------------
if ! cmp -s "$HERE/package-lock.json" "$PG_DIR/package-lock.json" || [[ ! -x $PG_DIR/node_modules/.bin/postgraphile ]]; then
  log "installing PostGraphile into $PG_DIR"
  mkdir -p "$PG_DIR"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$PG_DIR/"
  (cd "$PG_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
PG_VERSION=$(jq -r .version "$PG_DIR/node_modules/postgraphile/package.json")
FILTER_VERSION=$(jq -r .version "$PG_DIR/node_modules/postgraphile-plugin-connection-filter/package.json")

for port in "$OUR_PORT" "$POSTGRAPHILE_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then die "port $port is already in use"; fi
done

# Our cached totalCounts are keyed by a catalogue version that `bench read` (direct inserts) does
# not bump: start from an empty cache so that a reloaded database is never answered from the last.
CACHE_PREFIX=cb-bench:
clear_cache() {
  redis-cli -u "$REDIS_URL" --scan --pattern "$CACHE_PREFIX*" | while read -r key; do
    redis-cli -u "$REDIS_URL" DEL "$key" >/dev/null
  done
}
clear_cache

log "starting credit-bank serve on 127.0.0.1:$OUR_PORT"
(
  cd "$BENCH_WORK"
  DATABASE_URL="$DB_URL" REDIS_URL="$REDIS_URL" CACHE_PREFIX="$CACHE_PREFIX" BIND="127.0.0.1:$OUR_PORT" \
    RESPONSE_CACHE_SECONDS="$RESPONSE_CACHE_SECONDS" RUST_LOG=warn SIGNING_KEY_FILE="$BENCH_WORK/signing.key" exec setsid "$CREDIT_BANK_BIN" serve
) >"$BENCH_WORK/credit-bank.log" 2>&1 &
OUR_PID=$!

log "starting PostGraphile $PG_VERSION on 127.0.0.1:$POSTGRAPHILE_PORT"
(
  cd "$PG_DIR"
  exec setsid node node_modules/.bin/postgraphile -c "$DB_URL" --host 127.0.0.1 --port "$POSTGRAPHILE_PORT" \
    --cluster-workers 2 --disable-query-log --append-plugins postgraphile-plugin-connection-filter
) >"$BENCH_WORK/postgraphile.log" 2>&1 &
PG_PID=$!

wait_for() { # wait_for NAME PID URL CURL-ARGS...: until the URL answers 200
  local name=$1 pid=$2 url=$3
  shift 3
  for _ in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || die "$name exited; see $BENCH_WORK/*.log"
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true) == 200 ]] && return 0
    sleep 0.2
  done
  die "$name did not answer within 120 s"
}
wait_for credit-bank "$OUR_PID" "http://127.0.0.1:$OUR_PORT/readyz"
wait_for PostGraphile "$PG_PID" "$THEIRS" -H 'Content-Type: application/json' -d '{"query":"{__typename}"}'
# Give the other cluster worker time to build its schema too.
sleep 2
log "both servers answer"

gql() { # gql URL BODY [TOKEN]: prints the response body
  local auth=()
  [[ -n ${3:-} ]] && auth=(-H "Authorization: Bearer $3")
  curl -sS "$1" -H 'Content-Type: application/json' -H 'Accept: application/json' "${auth[@]}" -d "$2"
}
login() {
  local body answer
  body=$(jq -nc --arg u "$1" --arg p "$PASSWORD" \
    '{query: "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }", variables: {u: $u, p: $p}}')
  answer=$(gql "$OURS" "$body")
  jq -er '.data.login.token' <<<"$answer" || die "login $1 failed: $answer"
}
ADMIN_TOKEN=$(login "$ADMIN_USER")
if [[ $(psql_in "$BENCH_DB" -c "SELECT count(*) FROM accounts WHERE username = '$TEACHER_USER'") == 0 ]]; then
  answer=$(gql "$OURS" "$(jq -nc --arg u "$TEACHER_USER" --arg p "$PASSWORD" --arg t "$TEACHER_ID" \
    '{query: "mutation($i: CreateAccountInput!) { createAccount(input: $i) { username role } }",
      variables: {i: {username: $u, password: $p, role: "TEACHER", teacherId: $t}}}')" "$ADMIN_TOKEN")
  jq -e '.data.createAccount.username' <<<"$answer" >/dev/null || die "createAccount failed: $answer"
  log "created the TEACHER login $TEACHER_USER"
fi
TEACHER_TOKEN=$(login "$TEACHER_USER")

# ---- 3. the load ----------------------------------------------------------------------------
body_of() { # body_of FILE VARIABLES-JSON: the JSON request body (comment lines dropped)
  jq -nc --rawfile q <(grep -v '^[[:space:]]*#' "$1") --argjson v "$2" \
    'if $v == {} then {query: $q} else {query: $q, variables: $v} end'
}
# shellcheck disable=SC2016 # a GraphQL variable, not a shell one
uses_teacher() { grep -qF '$teacher' "$1"; }
for q in $QUERIES; do
  vo='{}' vt='{}'
  if uses_teacher "$HERE/queries/$q.ours.graphql"; then vo=$(jq -nc --arg t "$TEACHER_ID" '{teacher: $t}'); fi
  if uses_teacher "$HERE/queries/$q.postgraphile.graphql"; then vt=$(jq -nc --arg t "$TEACHER_UUID" '{teacher: $t}'); fi
  body_of "$HERE/queries/$q.ours.graphql" "$vo" >"$BENCH_WORK/bodies/$q.ours.json"
  body_of "$HERE/queries/$q.postgraphile.graphql" "$vt" >"$BENCH_WORK/bodies/$q.postgraphile.json"
done

token_for() { # our rows (e) and (f) are read by the teacher itself; the catalogue anonymously
  if [[ $1 == ours ]] && uses_teacher "$HERE/queries/$2.ours.graphql"; then echo "$TEACHER_TOKEN"; fi
}
url_for() { if [[ $1 == ours ]]; then echo "$OURS"; else echo "$THEIRS"; fi; }

check() { # check SERVER ROW: one answer, looked at before a load
  local server=$1 q=$2 out code
  out="$BENCH_WORK/wrk/$q.$server.check.json"
  local auth=() token
  token=$(token_for "$server" "$q")
  [[ -n $token ]] && auth=(-H "Authorization: Bearer $token")
  code=$(curl -sS -o "$out" -w '%{http_code}' "$(url_for "$server")" -H 'Content-Type: application/json' \
    -H 'Accept: application/json' "${auth[@]}" --data-binary "@$BENCH_WORK/bodies/$q.$server.json" || true)
  if [[ $code != 200 ]]; then
    warn "$q on $server: HTTP $code: $(head -c 300 "$out")"
  elif jq -e 'has("errors")' "$out" >/dev/null 2>&1 || ! jq -e '.data' "$out" >/dev/null 2>&1; then
    warn "$q on $server: the answer has errors: $(head -c 300 "$out")"
  fi
  # Both servers must count the same courses.
  local mine theirs
  mine=$(jq -c '[.. | .totalCount? | numbers]' "$BENCH_WORK/wrk/$q.ours.check.json" 2>/dev/null || true)
  theirs=$(jq -c '[.. | .totalCount? | numbers]' "$BENCH_WORK/wrk/$q.postgraphile.check.json" 2>/dev/null || true)
  if [[ $mine != "" && $mine != "[]" && $theirs != "" && $theirs != "[]" && $mine != "$theirs" ]]; then
    warn "$q: totalCount differs: ours $mine, PostGraphile $theirs"
  fi
}

to_ms() { # wrk's 1.23us / 4.56ms / 7.89s / 1.2m -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

run_wrk() { # run_wrk SERVER ROW ROUND DURATION: appends one line to $RAW (unless ROUND is warmup)
  local server=$1 q=$2 round=$3 duration=$4 out rps p99 non2xx sockerr load
  out="$BENCH_WORK/wrk/$q.$server.$round.txt"
  load=$(cut -d' ' -f1 /proc/loadavg)
  # In the background, so that an interrupt stops the run at once (bash defers traps until a
  # foreground command ends; `wait` returns on a signal).
  BODY_FILE="$BENCH_WORK/bodies/$q.$server.json" TOKEN="$(token_for "$server" "$q")" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout "$WRK_TIMEOUT" --latency -s "$LUA" "$(url_for "$server")" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || warn "wrk failed for $q on $server: $(tail -n 3 "$out")"
  WRK_PID=
  [[ $round == warmup ]] && return 0
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p99=$(awk '/^ +99%/ { print $2 }' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  sockerr=$(awk '/Socket errors:/ { sub(/.*Socket errors: /, ""); print }' "$out")
  [[ -n $rps && -n $p99 ]] || { warn "no figures from wrk for $q on $server (see $out)"; rps=0 p99=0ms; }
  [[ -z $non2xx ]] || warn "$q on $server round $round: $non2xx answers were not 2xx"
  [[ -z $sockerr ]] || warn "$q on $server round $round: socket errors: $sockerr"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$q" "$server" "$round" "$rps" "$(to_ms "$p99")" "${non2xx:-0}" "$load" >>"$RAW"
  log "  $server: $rps req/s, p99 $p99${non2xx:+, $non2xx non-2xx}"
}

printf 'row\tserver\tround\treq_per_s\tp99_ms\tnon_2xx\tload1_before\n' >"$RAW"
if [[ $WARMUP != 0 ]]; then
  log "warm-up: $WARMUP per query and server"
  for q in $QUERIES; do
    for server in ours postgraphile; do check "$server" "$q"; run_wrk "$server" "$q" warmup "$WARMUP"; done
  done
fi
for round in $(seq "$ROUNDS"); do
  if ((round % 2)); then order="ours postgraphile"; else order="postgraphile ours"; fi
  for q in $QUERIES; do
    log "round $round/$ROUNDS: $q"
    for server in $order; do
      check "$server" "$q"
      run_wrk "$server" "$q" "$round" "$DURATION"
    done
  done
done

# ---- 4. the table ---------------------------------------------------------------------------
median() { # median ROW SERVER COLUMN
  awk -F'\t' -v q="$1" -v s="$2" -v c="$3" 'NR > 1 && $1 == q && $2 == s { print $c }' "$RAW" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "–"; else printf "%.2f×", a / b }'; }
num() { awk -v a="$1" 'BEGIN { printf "%.0f", a }' | sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.2f ms", a }'; }

DATE=$(date -u +%Y-%m-%d)
CPU=$(lscpu | sed -nE 's/^Model name:[[:space:]]+//p' | head -n1)
PGSERVER=$(psql_in postgres -c "SHOW server_version" | cut -d' ' -f1)
BUILT=$(date -u -r "$CREDIT_BANK_BIN" '+%Y-%m-%d %H:%M UTC')
{
  echo "Measured on $DATE: $(nproc) cores ($CPU), PostgreSQL $PGSERVER over TCP 127.0.0.1, Redis; credit-bank"
  echo "release build of $BUILT (the tree at $COMMIT${DIRTY:+ with uncommitted changes} when the run began), $(node --version) running PostGraphile $PG_VERSION"
  echo "(--cluster-workers 2, postgraphile-plugin-connection-filter $FILTER_VERSION). $LOADED (\`credit-bank bench read\`);"
  echo "\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --timeout $WRK_TIMEOUT --latency\`, $ROUNDS interleaved rounds, medians over the rounds;"
  echo "wrk, both servers and PostgreSQL share the machine (load average when the script started: $LOAD_AT_START)."
  echo "Our response cache: RESPONSE_CACHE_SECONDS=$RESPONSE_CACHE_SECONDS$([[ $RESPONSE_CACHE_SECONDS == 0 ]] && echo ' (off: every request executed)')."
  echo
  echo "| query | ours req/s | ours p99 | PostGraphile req/s | PostGraphile p99 | req/s ours/PostGraphile | p99 ours/PostGraphile |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for q in $QUERIES; do
    or=$(median "$q" ours 4) op=$(median "$q" ours 5) tr=$(median "$q" postgraphile 4) tp=$(median "$q" postgraphile 5)
    echo "| ${LABEL[$q]} | $(num "$or") | $(ms "$op") | $(num "$tr") | $(ms "$tp") | $(ratio "$or" "$tr") | $(ratio "$op" "$tp") |"
  done
  echo
  echo "PostGraphile's side of each row (tests/bench/queries/*.postgraphile.graphql): (a), (b), (d)"
  echo "\`allCourses(condition: {status: \"PUBLISHED\"})\` with \`providerByProviderId\`; (c) the connection-filter"
  echo "plugin's \`includesInsensitive\` on title or description, or the exact code; (e) \`allCreditRecords(condition:"
  echo "{teacherId})\` with the columns the sums need, which the client would add up; (f) the teacher's facts and"
  echo "every record's facts, which the client would evaluate (PostGraphile has no policy engine). Our search"
  echo "ranks the matches (best first) with its trigram index; PostGraphile's ILIKE cannot use that index (it is on"
  echo "an expression) and its rows come in primary-key order. Our totalCount is cached (Redis, replaced on every"
  echo "course write), PostGraphile counts on every request. Ours answers"
  echo "(e) and (f) computed, for the teacher's own bearer token (verified and authorized on every request);"
  echo "PostGraphile runs as the database superuser without any authorization."
  if ((${#WARNINGS[@]})); then
    echo
    echo "Warnings during the run:"
    for w in "${WARNINGS[@]}"; do echo "- $w"; done
  fi
} >"$RESULTS"

echo
printf '%-58s %10s %10s %10s %10s %8s %8s\n' query "ours r/s" "ours p99" "PG r/s" "PG p99" "r/s ×" "p99 ×"
for q in $QUERIES; do
  or=$(median "$q" ours 4) op=$(median "$q" ours 5) tr=$(median "$q" postgraphile 4) tp=$(median "$q" postgraphile 5)
  printf '%-58s %10s %10s %10s %10s %8s %8s\n' "${LABEL[$q]}" "$(num "$or")" "$(ms "$op")" "$(num "$tr")" "$(ms "$tp")" \
    "$(ratio "$or" "$tr")" "$(ratio "$op" "$tp")"
done
echo
if ((${#WARNINGS[@]})); then log "${#WARNINGS[@]} warning(s): see above and $RESULTS"; fi
log "Markdown table: $RESULTS; raw figures: $RAW; wrk outputs and logs: $BENCH_WORK"
