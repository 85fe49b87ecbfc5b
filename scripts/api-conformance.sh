#!/usr/bin/env bash
# Checks the HTTP APIs against their documents: openapi-spec-validator on each, then
# schemathesis generating requests against a live `voc up`, failing on any 5xx or any
# response the document does not describe:
#   ingest (docs/openapi.yaml without the `inbox` tag; >= 500 cases),
#   notify's inbox (docs/openapi.yaml, tag `inbox`, on notify's port, with a person's token),
#   notify's recipients API (docs/openapi.yaml, tag `recipients`, on notify's port, with the admin token),
#   route's ticket API (docs/route-openapi.yaml, on route's port, with a department token),
#   the projector's read API (docs/read-openapi.yaml, on the read port, with a manager's read token).
set -euo pipefail
voc=${1:-.build/debug/voc}
venv=${VENV:-.venv}
min_cases=${MIN_CASES:-500}
dir=$(mktemp -d /tmp/voc-api.XXXXXX)
chmod 755 "$dir"
# Ports below Linux's ephemeral range (32768–60999), where other sockets could hold one.
pg_port=$((20000 + RANDOM % 10000)); ingest_port=$((pg_port + 1)); read_port=$((pg_port + 2))
analyze_port=$((pg_port + 3)); transcribe_port=$((pg_port + 4)); route_port=$((pg_port + 5)); notify_port=$((pg_port + 6))
log="$dir/up.log"

"$venv/bin/openapi-spec-validator" docs/openapi.yaml
"$venv/bin/openapi-spec-validator" docs/route-openapi.yaml
"$venv/bin/openapi-spec-validator" docs/read-openapi.yaml

printf '{"recipients":[{"id":"API-PERSON","language":"zh","inboxTokenSha256":"%s"}]}' \
  "$(printf %s api-inbox-token | sha256sum | cut -d' ' -f1)" >"$dir/directory.json"
chmod 600 "$dir/directory.json"  # notify refuses a directory file others may read
VOC_NOTIFY_DIRECTORY_FILE="$dir/directory.json" VOC_NOTIFY_ADMIN_TOKEN=api-admin-token VOC_ROUTE_DEPARTMENT_TOKENS="api-route-token=*" \
  "$voc" up --dir "$dir/state" --postgres-port "$pg_port" --ingest-port "$ingest_port" --projector-port "$read_port" \
  --analyze-port "$analyze_port" --transcribe-port "$transcribe_port" --route-port "$route_port" --notify-port "$notify_port" >"$log" 2>&1 &
pid=$!
cleanup() { kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; cp "$dir/out.txt" /tmp/api-last.txt 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$ingest_port/readyz" >/dev/null 2>&1 && break
  sleep 0.3
done
curl -sf "http://127.0.0.1:$ingest_port/readyz" >/dev/null || { tail -30 "$log"; echo "api: voc up did not become ready"; exit 1; }
key=$(cat "$dir/state/gateway-key")

# The served document must be the one in docs/.
curl -sf "http://127.0.0.1:$ingest_port/openapi.yaml" | cmp - docs/openapi.yaml || { echo "api: /openapi.yaml differs from docs/openapi.yaml"; exit 1; }

report="$dir/report.ndjson"
set +e
SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH=scripts timeout 900 "$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$ingest_port/openapi.yaml" \
  --header "Authorization: Bearer $key" --exclude-tag inbox --exclude-tag recipients \
  --phases examples,fuzzing --max-examples "${MAX_EXAMPLES:-250}" --workers 2 --seed 20261124 \
  --suppress-health-check all --request-timeout 30 2>&1 | tee "$dir/out.txt"
status=${PIPESTATUS[0]}
set -e
cases=$(grep -oE '[0-9]+ generated' "$dir/out.txt" | tail -1 | grep -oE '[0-9]+' || echo 0)
echo "api: schemathesis exit $status, $cases generated test cases (minimum $min_cases)"
if [ "$status" -ne 0 ]; then echo "--- voc up log"; tail -20 "$log"; exit 1; fi
[ "${cases:-0}" -ge "$min_cases" ] || { echo "api: fewer than $min_cases cases"; exit 1; }

# The APIs of notify and route, each on its own port.
other() {
  local name=$1 document=$2 port=$3 token=$4; shift 4
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.3; done
  set +e
  timeout 600 "$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "$document" --url "http://127.0.0.1:$port" \
    --header "Authorization: Bearer $token" "$@" \
    --phases examples,fuzzing --max-examples "${OTHER_MAX_EXAMPLES:-100}" --workers 2 --seed 20261124 \
    --suppress-health-check all --request-timeout 30 >"$dir/$name.txt" 2>&1
  local code=$?
  set -e
  local made
  made=$(grep -oE '[0-9]+ generated' "$dir/$name.txt" | tail -1 | grep -oE '[0-9]+' || echo 0)
  echo "api: $name: schemathesis exit $code, $made generated test cases"
  if [ "$code" -ne 0 ] || [ "${made:-0}" -lt 50 ]; then
    # The failures with the curl command that reproduces each, then the summary.
    sed -n '/^=* FAILURES =*$/,/^=* WARNINGS =*$/p' "$dir/$name.txt" | head -120; tail -40 "$dir/$name.txt"; echo "--- voc up log"; tail -20 "$log"; exit 1; fi
}
other inbox docs/openapi.yaml "$notify_port" api-inbox-token --include-tag inbox
other recipients docs/openapi.yaml "$notify_port" api-admin-token --include-tag recipients
other tickets docs/route-openapi.yaml "$route_port" api-route-token
read_token=$("$voc" token create --subject api --role manager --sensitive --secret-file "$dir/state/read-token-secret")
other read docs/read-openapi.yaml "$read_port" "$read_token"
