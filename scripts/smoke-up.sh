#!/usr/bin/env bash
# Starts `voc up` as an operator would, sends one interaction over HTTP, reads it back
# from the read API and, with kcat, from the topic, checking the CloudEvents headers.
set -euo pipefail
voc=${1:-.build/debug/voc}
dir=$(mktemp -d /tmp/voc-smoke.XXXXXX)
chmod 755 "$dir"
pg_port=$((40000 + RANDOM % 10000)); ingest_port=$((pg_port + 1)); read_port=$((pg_port + 2))
log="$dir/up.log"
"$voc" up --dir "$dir/state" --postgres-port "$pg_port" --ingest-port "$ingest_port" --projector-port "$read_port" >"$log" 2>&1 &
pid=$!
cleanup() { kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "smoke: $*"; echo "--- voc up log"; tail -30 "$log"; echo "smoke: 0 passed, 1 failed"; exit 1; }

for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$read_port/readyz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$ingest_port/healthz" >/dev/null 2>&1 && break
  sleep 0.3
done
grep -q "VOC platform is up" "$log" || fail "voc up did not print its banner"
broker=$(cat "$dir/state/broker")

answer=$(curl -s -w ' %{http_code}' -X POST "http://127.0.0.1:$ingest_port/v1/interactions" -H 'Content-Type: application/json' \
  -d '{"customerId":"SMOKE-1","channel":"app_feedback","businessLine":"wealth","occurredAt":"2026-11-20T10:00:00Z","text":"赎回到账太慢了"}')
[[ "$answer" == *" 202" ]] || fail "POST answered: $answer"

seen=""
for _ in $(seq 1 50); do
  seen=$(curl -sf "http://127.0.0.1:$read_port/v1/customers/SMOKE-1/timeline" || true)
  [[ "$seen" == *'"channel":"app_feedback"'* ]] && break
  sleep 0.2
done
[[ "$seen" == *'"channel":"app_feedback"'* ]] || fail "timeline never showed the interaction: $seen"

headers=$(kcat -C -b "$broker" -t voc.interaction.received.v1 -o beginning -c 1 -e -q -f '%h')
for h in ce_specversion=1.0 ce_type=voc.interaction.received.v1 ce_source=/voc/ingest ce_subject=SMOKE-1 ce_id= ce_time= traceparent=; do
  [[ "$headers" == *"$h"* ]] || fail "kcat shows no $h in: $headers"
done
echo "smoke: voc up accepted, projected and served the interaction; kcat read it with headers $headers"

# The transcribe stage of voc up: the text interaction passes through as a transcript.
transcripts() { kcat -C -b "$broker" -t voc.transcript.ready.v1 -o beginning -e -q -f '%s\n' 2>/dev/null || true; }
# (the stage starts once the local engine answers: its model loads in a few seconds)
seen=""
for _ in $(seq 1 300); do
  seen=$(transcripts)
  [[ "$seen" == *'"name":"passthrough"'* ]] && break
  sleep 0.2
done
[[ "$seen" == *'"name":"passthrough"'* ]] || fail "no passthrough transcript of the text interaction: $seen"
echo "smoke: the transcribe stage passed the text interaction through"

# A recording, produced straight to the interaction topic (ingest takes no audio yet),
# is transcribed by the local speech engine that voc up supervises. Under make test
# (VOC_REQUIRE_WHISPER=1) a missing engine fails the smoke test.
grep -q "Speech engine" "$log" || fail "voc up did not print its speech engine line"
if grep -q "Speech engine  NOT INSTALLED" "$log" || ! command -v espeak-ng >/dev/null; then
  [[ "${VOC_REQUIRE_WHISPER:-}" == 1 ]] && fail "the local speech engine or espeak-ng is missing (make whisper; apt-get install espeak-ng)"
  echo "smoke: speech engine not installed, recording not tried"
  echo "smoke: 2 passed, 0 failed"
  exit 0
fi
wav="$dir/smoke.wav"
espeak-ng -v en-us -s 150 -w "$wav" "Please note that this product is not a deposit."
sha=$(sha256sum "$wav" | cut -d' ' -f1); size=$(stat -c %s "$wav")
event='{"interactionId":"SMOKE-AUDIO-1","customerId":"SMOKE-2","channel":"hotline_call","businessLine":"wealth","occurredAt":"2026-11-20T10:00:00.000Z","receivedAt":"2026-11-20T10:00:01.000Z","language":"en","audio":{"uri":"file://'"$wav"'","sizeBytes":'"$size"',"mediaType":"audio/wav","sha256":"'"$sha"'","layout":"mono"}}'
echo "$event" | kcat -P -b "$broker" -t voc.interaction.received.v1 -k SMOKE-2 \
  -H ce_specversion=1.0 -H ce_id=SMOKE-AUDIO-1 -H ce_type=voc.interaction.received.v1 -H ce_source=/smoke \
  -H ce_time=2026-11-20T10:00:01.000Z -H ce_subject=SMOKE-2 -H content-type=application/json
heard=""
for _ in $(seq 1 240); do
  heard=$(transcripts | grep SMOKE-AUDIO-1 || true)
  [[ -n "$heard" ]] && break
  sleep 0.5
done
[[ "$heard" == *'"name":"faster-whisper"'* ]] || fail "no transcript of the recording from the local engine: $heard (engine log: $(tail -5 "$dir/state/whisper-server.log" 2>/dev/null))"
[[ "${heard,,}" == *"deposit"* ]] || fail "the recording's transcript lacks the spoken words: $heard"
echo "smoke: the supervised local speech engine transcribed a recording: $(echo "$heard" | grep -o '"utterances":\[[^]]*\]')"
# voc transcribe: the same path offline, one JSON line per file (it uses the engine voc up runs).
line=$("$voc" transcribe "$wav" --layout mono --language en --business-line wealth)
for key in '"file":' '"text":' '"utterances":[{' '"speaker":"unknown"' '"startMs":' '"endMs":' '"confidence":'; do
  [[ "$line" == *"$key"* ]] || fail "voc transcribe printed no $key: $line"
done
echo "smoke: voc transcribe printed $line"
echo "smoke: 4 passed, 0 failed"
