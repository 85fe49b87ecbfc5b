#!/usr/bin/env bash
# Checks the ingest API against docs/openapi.yaml: openapi-spec-validator on the document,
# then schemathesis generating requests (>= 500 cases) against a live `voc up`, failing on
# any 5xx or any response the document does not describe. The inbox operations (tag
# `inbox`) are voc-notify's, on another port; Tests/NotifyTests cover them.
set -euo pipefail
voc=${1:-.build/debug/voc}
venv=${VENV:-.venv}
min_cases=${MIN_CASES:-500}
dir=$(mktemp -d /tmp/voc-api.XXXXXX)
chmod 755 "$dir"
pg_port=$((40000 + RANDOM % 10000)); ingest_port=$((pg_port + 1)); read_port=$((pg_port + 2))
log="$dir/up.log"

"$venv/bin/openapi-spec-validator" docs/openapi.yaml

"$voc" up --dir "$dir/state" --postgres-port "$pg_port" --ingest-port "$ingest_port" --projector-port "$read_port" >"$log" 2>&1 &
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
SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH=scripts "$venv/bin/schemathesis" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$ingest_port/openapi.yaml" \
  --header "Authorization: Bearer $key" --exclude-tag inbox \
  --phases examples,fuzzing --max-examples "${MAX_EXAMPLES:-250}" --workers 2 --seed 20261124 \
  --suppress-health-check all --request-timeout 30 2>&1 | tee "$dir/out.txt"
status=${PIPESTATUS[0]}
set -e
cases=$(grep -oE '[0-9]+ generated' "$dir/out.txt" | tail -1 | grep -oE '[0-9]+' || echo 0)
echo "api: schemathesis exit $status, $cases generated test cases (minimum $min_cases)"
if [ "$status" -ne 0 ]; then echo "--- voc up log"; tail -20 "$log"; exit 1; fi
[ "${cases:-0}" -ge "$min_cases" ] || { echo "api: fewer than $min_cases cases"; exit 1; }
