#!/usr/bin/env bash
# Starts `voc up` as an operator would, sends one interaction over HTTP, reads it back
# from the read API and, with kcat, from the topic, checking the CloudEvents headers.
set -euo pipefail
voc=${1:-.build/debug/voc}
dir=$(mktemp -d /tmp/voc-smoke.XXXXXX)
chmod 755 "$dir"
# Ports below Linux's ephemeral range (32768–60999), where other sockets could hold one.
pg_port=$((20000 + RANDOM % 10000)); ingest_port=$((pg_port + 1)); read_port=$((pg_port + 2)); analyze_port=$((pg_port + 3))
transcribe_port=$((pg_port + 4)); route_port=$((pg_port + 5)); notify_port=$((pg_port + 6))
log="$dir/up.log"
"$voc" up --dir "$dir/state" --postgres-port "$pg_port" --ingest-port "$ingest_port" \
  --projector-port "$read_port" --analyze-port "$analyze_port" --transcribe-port "$transcribe_port" --route-port "$route_port" \
  --notify-port "$notify_port" >"$log" 2>&1 &
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

key=$(cat "$dir/state/gateway-key")
unauth=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$ingest_port/v1/interactions" -H 'Content-Type: application/json' -d '{}')
[[ "$unauth" == 401 ]] || fail "a request without a gateway key answered $unauth, not 401"

answer=$(curl -s -w ' %{http_code}' -X POST "http://127.0.0.1:$ingest_port/v1/interactions" -H 'Content-Type: application/json' \
  -H "Authorization: Bearer $key" \
  -d '{"customerId":"SMOKE-1","channel":"app_feedback","businessLine":"wealth","occurredAt":"2026-11-20T10:00:00Z","text":"赎回到账太慢了"}')
[[ "$answer" == *" 202" ]] || fail "POST answered: $answer"

# The read API wants a signed token: voc up keeps the secret in its folder.
read_token=$("$voc" token create --subject smoke --role manager --secret-file "$dir/state/read-token-secret")
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$read_port/v1/customers/SMOKE-1/timeline")" == 401 ]] \
  || fail "the read API answered without a token"
seen=""
for _ in $(seq 1 50); do
  seen=$(curl -sf -H "Authorization: Bearer $read_token" "http://127.0.0.1:$read_port/v1/customers/SMOKE-1/timeline" || true)
  [[ "$seen" == *'"channel":"app_feedback"'* ]] && break
  sleep 0.2
done
[[ "$seen" == *'"channel":"app_feedback"'* ]] || fail "timeline never showed the interaction: $seen"

# A recording by multipart, as a hotline recorder would send it (a 1 s stereo WAV).
python3 -c 'import wave,sys; w=wave.open(sys.argv[1],"wb"); w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000); w.writeframes(bytes(32000)); w.close()' "$dir/call.wav"
upload=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$ingest_port/v1/interactions" -H "Authorization: Bearer $key" \
  -F 'metadata={"customerId":"SMOKE-1","channel":"hotline_call","businessLine":"wealth","occurredAt":"2026-11-20T10:05:00Z"};type=application/json' \
  -F "audio=@$dir/call.wav;type=audio/wav")
[[ "$upload" == *" 202" && "$upload" == *'"layout":"stereo_agent_left"'* ]] || fail "upload answered: $upload"
blob=$(echo "$upload" | sed -E 's/.*"uri":"file:\/\/([^"]*)".*/\1/')
[ -f "$blob" ] && cmp -s "$blob" "$dir/call.wav" || fail "the uploaded recording is not in the blob store at $blob"

headers=$(kcat -C -b "$broker" -t voc.interaction.received.v1 -o beginning -c 1 -e -q -f '%h')
for h in ce_specversion=1.0 ce_type=voc.interaction.received.v1 ce_source=/voc/ingest ce_subject=SMOKE-1 ce_id= ce_time= traceparent=; do
  [[ "$headers" == *"$h"* ]] || fail "kcat shows no $h in: $headers"
done
echo "smoke: voc up refused a keyless request, accepted text and a recording, projected and served it; kcat read it with headers $headers"

# analyze: a transcript produced with kcat comes back as a redacted insight.
transcript='{"transcriptId":"SMOKE-T1","interactionId":"SMOKE-I1","customerId":"SMOKE-1","channel":"hotline_call","businessLine":"credit_card","occurredAt":"2026-11-20T10:00:00Z","utterances":[{"speaker":"customer","text":"年费扣了两次，我要投诉！手机13812345678","confidence":1}],"engine":{"name":"smoke","version":"1"},"producedAt":"2026-11-20T10:00:01Z"}'
echo "$transcript" | kcat -P -b "$broker" -t voc.transcript.ready.v1 -k SMOKE-1 \
  -H ce_specversion=1.0 -H ce_id=SMOKE-T1 -H ce_type=voc.transcript.ready.v1 -H ce_source=/smoke -H ce_time=2026-11-20T10:00:01Z \
  -H ce_subject=SMOKE-1 -H content-type=application/json
# The text interaction above may be analysed first: find this transcript's insight among all.
insight_of_t1() {
  kcat -C -b "$broker" -t voc.insight.produced.v1 -o beginning -e -q -f '%s\n' 2>/dev/null | grep -F '"transcriptId":"SMOKE-T1"' | head -1 || true
}
insight=$(insight_of_t1)
for _ in $(seq 1 50); do
  [[ "$insight" == *'"transcriptId":"SMOKE-T1"'* ]] && break
  sleep 0.2
  insight=$(insight_of_t1)
done
[[ "$insight" == *'"transcriptId":"SMOKE-T1"'* ]] || fail "no insight for the transcript: $insight"
[[ "$insight" == *'[mobile]'* && "$insight" != *13812345678* ]] || fail "the insight is not redacted: $insight"
[[ "$insight" == *'"fees_interest"'* ]] || fail "the insight lacks its category: $insight"
echo "smoke: analyze turned a transcript into a redacted insight"

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

# voc demo: a small made-up day reaches every stage's topic and the read model.
"$voc" demo --url "http://127.0.0.1:$ingest_port" --read-url "http://127.0.0.1:$read_port" --dir "$dir/state" \
  --customers 8 --interactions 40 --recordings 0 >"$dir/demo.log" 2>&1 || fail "voc demo failed: $(tail -5 "$dir/demo.log")"
count() { kcat -C -b "$broker" -t "$1" -o beginning -e -q -f '%k\n' 2>/dev/null | grep -c DEMO- || true; }
for topic in voc.customer.updated.v1 voc.interaction.received.v1 voc.transcript.ready.v1 voc.insight.produced.v1 voc.ticket.event.v1 voc.notification.requested.v1; do
  n=0
  for _ in $(seq 1 100); do
    n=$(count "$topic")
    [[ "$topic" == voc.notification.requested.v1 || "$topic" == voc.ticket.event.v1 ]] && n=$(kcat -C -b "$broker" -t "$topic" -o beginning -e -q -f '%s\n' 2>/dev/null | grep -c DEMO- || true)
    (( n > 0 )) && break
    sleep 0.3
  done
  (( n > 0 )) || fail "voc demo left $topic without any of its records"
  echo "smoke: voc demo → $topic: $n records"
done
timeline=$(curl -sf -H "Authorization: Bearer $read_token" "http://127.0.0.1:$read_port/v1/customers/DEMO-C0001/timeline" || true)
[[ "$timeline" == *'"kind":"interaction"'* ]] || fail "the demo customer's timeline is empty: $timeline"

# notify: voc up gave the demo's advisors an inbox each (tokens in inbox-tokens.json), and
# route's owner sync filled the one of DEMO-C0001's advisor.
token=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ADV-1"])' "$dir/state/inbox-tokens.json") \
  || fail "voc up wrote no inbox token for the demo advisor ADV-1"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$notify_port/v1/inbox")" == 401 ]] || fail "the inbox answered without a token"
inbox=""
for _ in $(seq 1 100); do
  inbox=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$notify_port/v1/inbox" || true)
  [[ "$inbox" == *'"customerId":"DEMO-C'* ]] && break
  sleep 0.3
done
[[ "$inbox" == *'"customerId":"DEMO-C'* ]] || fail "voc demo left the advisor ADV-1's inbox empty: $inbox"
echo "smoke: voc demo → the in-app inbox of advisor ADV-1: $(grep -o '"unread":[0-9]*' <<<"$inbox")"

# A request produced with kcat lands in the person's inbox, and its outcome is published.
echo '{"notificationId":"N-SMOKE","idempotencyKey":"K-SMOKE","recipient":{"role":"advisor","id":"ADV-1"},"medium":"inbox","title":"客户资料已同步","body":"客户 SMOKE-1 的资料已同步。","requestedAt":"2026-11-20T10:00:00Z"}' \
  | kcat -P -b "$broker" -t voc.notification.requested.v1 -k ADV-1 \
  -H ce_specversion=1.0 -H ce_id=N-SMOKE -H ce_type=voc.notification.requested.v1 -H ce_source=/smoke -H ce_time=2026-11-20T10:00:00Z \
  -H ce_subject=ADV-1 -H content-type=application/json
for _ in $(seq 1 50); do
  inbox=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$notify_port/v1/inbox?limit=200" || true)
  [[ "$inbox" == *'客户资料已同步'* ]] && break
  sleep 0.2
done
[[ "$inbox" == *'客户资料已同步'* ]] || fail "the notification never reached the inbox: $inbox"
outcome=""
for _ in $(seq 1 50); do
  outcome=$(kcat -C -b "$broker" -t voc.notification.delivered.v1 -o beginning -e -q -f '%s\n' 2>/dev/null | grep -F '"idempotencyKey":"K-SMOKE"' || true)
  [[ -n "$outcome" ]] && break
  sleep 0.2
done
[[ "$outcome" == *'"outcome":"delivered"'* && "$outcome" == *'"idempotencyKey":"K-SMOKE"'* ]] || fail "no delivered outcome: $outcome"
echo "smoke: notify put a requested notification in the in-app inbox and published its outcome"

# A recording uploaded to ingest (multipart) is stored by claim-check and transcribed by
# the local speech engine that voc up supervises. Under make test
# (VOC_REQUIRE_WHISPER=1) a missing engine fails the smoke test.
grep -q "Speech engine" "$log" || fail "voc up did not print its speech engine line"
if grep -q "Speech engine  NOT INSTALLED" "$log" || ! command -v espeak-ng >/dev/null; then
  [[ "${VOC_REQUIRE_WHISPER:-}" == 1 ]] && fail "the local speech engine or espeak-ng is missing (make whisper; apt-get install espeak-ng)"
  echo "smoke: speech engine not installed, recording not tried"
  echo "smoke: 5 passed, 0 failed"
  exit 0
fi
wav="$dir/smoke.wav"
espeak-ng -v en-us -s 150 -w "$wav" "Please note that this product is not a deposit."
upload=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$ingest_port/v1/interactions" -H "Authorization: Bearer $key" \
  -F 'metadata={"customerId":"SMOKE-2","channel":"hotline_call","businessLine":"wealth","occurredAt":"2026-11-20T10:00:00Z","language":"en","audio":{"layout":"mono"}};type=application/json' \
  -F "audio=@$wav;type=audio/wav")
[[ "$upload" == *" 202" ]] || fail "the spoken recording was not accepted: $upload"
heard=""
for _ in $(seq 1 240); do
  heard=$(transcripts | grep '"customerId":"SMOKE-2"'  || true)
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
echo "smoke: 7 passed, 0 failed"
