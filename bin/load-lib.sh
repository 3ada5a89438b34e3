# Shared by bin/load-checkout and bin/load-links: starts the platform (unless ORDERLY_URL is
# given), runs Gatling phases, reads their statistics. Sourced, not run.
# Tokens come from bin/token: for a platform started here, from the one demo password it was
# started with; with ORDERLY_URL, from that instance's secrets (ORDERLY_CREDENTIALS or
# ./data/demo-credentials.properties, or ORDERLY_PASSWORD), as bin/token reads them.
cd "$(dirname "$0")/.."
source ./bin/java-home
PORT=${LOAD_PORT:-18080}
BASE=${ORDERLY_URL:-http://localhost:$PORT}
RESULTS=docs/bench
mkdir -p "$RESULTS" target
APP_PID=
DATA=

start_platform() { # extra platform arguments...
  [ -n "${ORDERLY_URL:-}" ] && return
  DATA=$(mktemp -d)
  # One throw-away secret for every demo account of this throw-away database: nothing is
  # written to ./data/demo-credentials.properties (which belongs to the developer's instance).
  local secret
  secret=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  # The rate limits stay on (every request still draws from its buckets, so their cost is
  # measured) with quotas no load run reaches: one shop token and one client address stand for
  # a whole shop's traffic here.
  # LOAD_LIMITS=default keeps the shipped quotas (bin/load-flood raises what it needs itself).
  local q=1000000000
  local limits=(--orderly.rate-limits.tiers.standard.capacity=$q --orderly.rate-limits.tiers.premium.capacity=$q
    --orderly.rate-limits.tenant.capacity=$q --orderly.rate-limits.checkout.capacity=$q
    --orderly.rate-limits.anonymous.capacity=$q)
  [ "${LOAD_LIMITS:-raised}" = default ] && limits=()
  ORDERLY_JAVA_OPTS="${ORDERLY_JAVA_OPTS:--Xms1g -Xmx2g}" ./bin/run --server.port=$PORT --orderly.psp.port=$((PORT + 10)) \
    --orderly.database.port=$((PORT % 1000 + 54000)) --orderly.database.data-directory="$DATA/postgres" \
    --orderly.links.base-url="http://localhost:$PORT" --orderly.auth.demo.password="$secret" \
    --orderly.auth.access-token-ttl=1h "${limits[@]}" "$@" > target/load-platform.log 2>&1 &
  APP_PID=$!
  export ORDERLY_PASSWORD=$secret ORDERLY_WEB_SECRET=$secret # for bin/token
  trap stop_platform EXIT
  for _ in $(seq 240); do
    curl -fs "$BASE/actuator/health/readiness" 2>/dev/null | grep -q UP && return
    kill -0 $APP_PID 2>/dev/null || { echo "the platform did not start; see target/load-platform.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the platform was not ready within 2 minutes" >&2; exit 1
}

stop_platform() {
  if [ -n "$APP_PID" ]; then
    kill -TERM $APP_PID 2>/dev/null; wait $APP_PID 2>/dev/null || true
    pkill -f "postgres -D $DATA/postgres" 2>/dev/null || true
    rm -rf "$DATA"; APP_PID=
  fi
}

# CPU seconds used so far by the platform's JVM and its PostgreSQL.
platform_cpu() {
  [ -z "$APP_PID" ] && { echo 0; return; }
  local ticks=0 pg
  ticks=$(awk '{print $14 + $15}' /proc/$APP_PID/stat)
  for pg in $(pgrep -f "postgres.*$DATA/postgres" ; pgrep -P "$(pgrep -f "postgres -D $DATA/postgres" | head -1)" 2>/dev/null); do
    ticks=$((ticks + $(awk '{print $14 + $15}' /proc/$pg/stat 2>/dev/null || echo 0)))
  done
  echo "scale=2; $ticks / $(getconf CLK_TCK)" | bc
}

# access_token ACCOUNT: an access token of a demo account (alice, bob, support, operator, admin, shop).
access_token() {
  local token
  token=$(./bin/token "$1" --url "$BASE") && [ -n "$token" ] \
    || { echo "could not get a token for $1 from $BASE (see bin/token)" >&2; return 1; }
  echo "$token"
}

# gatling SIMULATION key=value... : runs one Gatling simulation, prints its results folder.
# The simulation gets fresh tokens: shop's (orders, polls, links) and operator's (its setup).
gatling() {
  local simulation=$1; shift
  local props=() shop operator
  # Tokens given (SHOP_TOKEN, OPERATOR_TOKEN) keep their issuing (a password hash) out of a measured window.
  shop=${SHOP_TOKEN:-$(access_token shop)} || exit 1
  operator=${OPERATOR_TOKEN:-$(access_token operator)} || exit 1
  for kv in "$@"; do props+=("-Dorderly.$kv"); done
  ./mvnw -q -B -f load/pom.xml gatling:test -Dgatling.simulationClass=io.orderly.load.$simulation \
    -Dgatling.charting.useGroupDurationMetric=true -Dorderly.baseUrl="$BASE" -Dorderly.token="$shop" \
    -Dorderly.operatorToken="$operator" "${props[@]}" > target/gatling-last.log 2>&1 || { echo "(gatling reported failed requests or assertions; see target/gatling-last.log)" >&2; }
  ls -td load/target/gatling/*/ | head -1
}

# stat FOLDER REQUEST FIELD: a number from Gatling's stats.json (FIELD: rps, p50, p95, p99, ok, ko, max).
stat() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys, glob
folder, name, field = sys.argv[1:4]
import re
text = open(folder + "/js/stats.js").read()
text = text[text.index("{"):text.index("function fillStats")].strip().rstrip(";")
# The report's stats are a JavaScript object: quote its bare keys to read it as JSON.
data = json.loads(re.sub(r'(?m)^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:', r'\1"\2":', text))
def find(node):
    if node.get("name") == name or (name == "*" and node.get("type") == "GROUP" and node.get("name") == "All Requests"):
        return node
    for child in (node.get("contents") or {}).values():
        found = find(child)
        if found: return found
node = find(data) or {}
s = node.get("stats", {})
value = {
  "rps": s.get("meanNumberOfRequestsPerSecond", {}).get("total"),
  "p50": s.get("percentiles1", {}).get("total"),
  "p95": s.get("percentiles3", {}).get("total"),
  "p99": s.get("percentiles4", {}).get("total"),
  "ok": s.get("numberOfRequests", {}).get("ok"),
  "ko": s.get("numberOfRequests", {}).get("ko"),
  "max": s.get("maxResponseTime", {}).get("total"),
}[field]
print("-" if value is None else value)
PY
}

machine() {
  echo "$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; load average at start $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
}

# The checkout runs' orders, from the database the platform uses (DB: a psql command line set by
# the script). A run's customers are named load-<run>-<n>.
# server_side RUN: confirmed cancelled confirmed/s accept-to-final-p50-ms p99-ms still-pending
server_side() {
  "${DB[@]}" -F ' ' -c "
    select count(*) filter (where status = 'CONFIRMED'), count(*) filter (where status = 'CANCELLED'),
           round((count(*) filter (where status = 'CONFIRMED') / greatest(extract(epoch from max(updated_at) - min(created_at)), 0.001))::numeric, 1),
           round((percentile_cont(0.5) within group (order by extract(epoch from updated_at - created_at)) * 1000)::numeric),
           round((percentile_cont(0.99) within group (order by extract(epoch from updated_at - created_at)) * 1000)::numeric),
           count(*) filter (where status = 'PENDING')
    from orders.orders where starts_with(customer_id, 'load-$1-')"
}

# reasons RUN: the cancellation reasons of a run's orders, as "reason: count, ..."
reasons() {
  "${DB[@]}" -c "select coalesce(cancellation_reason, '-') || ': ' || n from (select cancellation_reason, count(*) n
    from orders.orders where starts_with(customer_id, 'load-$1-') and status = 'CANCELLED' group by 1) r" | paste -sd, -
}

# settle RUN SECONDS: waits (polling each second, at most SECONDS) until no order of the run is pending.
settle() { for _ in $(seq "$2"); do [ "$(server_side "$1" | awk '{print $6}')" = 0 ] && return; sleep 1; done; }
