#!/usr/bin/env python3
"""Runs PII-laden contacts through every stage of `voc up --processes` at log level debug
and fails if any of the personal values appears in any line of any service's log.

Usage: scripts/no-pii-in-logs.py [path/to/voc]   (the service executables next to it)

The input carries a mainland mobile number (plain and with dashes), an 18-digit resident
ID with a valid MOD 11-2 check character, a bank card number that passes Luhn, an e-mail
address and a person's name, in text contacts of several channels, in a line ingest
rejects, and in a record on the interaction topic that no stage can decode (so the
dead-letter paths log too). Before grepping it checks that the values really went
through: they are on the interaction topic, and the customer's owner was notified.
"""
import json, os, random, signal, subprocess, sys, tempfile, time, urllib.request, urllib.error, uuid

VOC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/voc")


def id_card(first17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def luhn(prefix):
    digits = [int(d) for d in prefix + "0"]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(reversed(digits)))
    return prefix + str((10 - total % 10) % 10)


MOBILE, MOBILE_DASHED = "13812345678", "139-8765-4321"
ID_CARD = id_card("11010519900307123")
BANK_CARD = luhn("622202123456789012")
EMAIL = "zhang.jianguo.pii@example.com"
NAME, NAME_EN = "张建国", "Jianguo Zhangsun"
# What must never appear in a log; the dashed number also without its dashes.
NEEDLES = [MOBILE, MOBILE_DASHED, MOBILE_DASHED.replace("-", ""), ID_CARD, BANK_CARD, EMAIL, NAME, NAME_EN,
           json.dumps(NAME).strip('"')]  # the name as a JSON \u escape

CUSTOMER = "PII-C1"
TEXTS = [
    ("chat", "zh", f"我是{NAME}，手机{MOBILE}，身份证{ID_CARD}，银行卡{BANK_CARD}被多扣了年费，请退回！"),
    ("email", "en", f"My name is {NAME_EN}, write to {EMAIL} or call {MOBILE_DASHED}. Card {BANK_CARD} was charged twice."),
    ("hotline_call", "zh", f"客户{NAME}来电，身份证号{ID_CARD}，要求赎回，回拨{MOBILE_DASHED}。"),
    ("app_feedback", "zh", f"APP登录不了，我的邮箱是{EMAIL}，卡号{BANK_CARD}。"),
]


def fail(message):
    print(f"no-pii-in-logs: {message}")
    print("no-pii-in-logs: 0 passed, 1 failed")
    sys.exit(1)


def http(method, url, body=None, headers=None):
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def kcat_read(broker, topic):
    result = subprocess.run(["kcat", "-C", "-b", broker, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%s\n"],
                            capture_output=True, text=True, timeout=60)
    return result.stdout.splitlines()


def wait_for(what, check, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.5)
    fail(f"timed out waiting for {what}")


def main():
    folder = tempfile.mkdtemp(prefix="voc-no-pii.")
    state = os.path.join(folder, "state")
    # Below Linux's ephemeral range (32768–60999), where the brokers' and clients' own
    # sockets could already hold one of the ports.
    base = 20000 + random.randrange(10000)
    ports = dict(postgres=base, ingest=base + 1, projector=base + 2, analyze=base + 3, transcribe=base + 4, route=base + 5,
                 notify=base + 6)
    environment = dict(os.environ, VOC_LOG_LEVEL="debug")
    up_log = open(os.path.join(folder, "up.log"), "w")
    up = subprocess.Popen([VOC, "up", "--processes", "--dir", state] + [f"--{name}-port={port}" for name, port in ports.items()],
                          stdout=up_log, stderr=subprocess.STDOUT, env=environment)
    try:
        run(state, ports, folder)
    finally:
        up.send_signal(signal.SIGINT)
        try:
            up.wait(60)
        except subprocess.TimeoutExpired:
            up.kill()
        up_log.close()
    check_logs(folder)
    subprocess.run(["rm", "-rf", folder])


def run(state, ports, folder):
    ingest = f"http://127.0.0.1:{ports['ingest']}"
    wait_for("ingest and the projector", lambda: http("GET", f"{ingest}/healthz")[0] == 200
             and http("GET", f"http://127.0.0.1:{ports['projector']}/readyz")[0] == 200, 180)
    broker = open(os.path.join(state, "broker")).read().strip()
    key = open(os.path.join(state, "gateway-key")).read().strip()
    auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    status, answer = http("PUT", f"{ingest}/v1/customers/{CUSTOMER}", {"advisorId": "ADV-1", "relationshipManagerId": "RM-1",
                                                                       "businessLine": "credit_card"}, auth)
    status == 202 or fail(f"PUT customer answered {status} {answer}")
    occurred = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def interaction(channel, language, text):
        return {"customerId": CUSTOMER, "channel": channel, "businessLine": "credit_card", "language": language,
                "occurredAt": occurred, "text": text}

    for channel, language, text in TEXTS:
        status, answer = http("POST", f"{ingest}/v1/interactions", interaction(channel, language, text), auth)
        status == 202 or fail(f"POST {channel} answered {status} {answer}")
    # A batch with a line ingest refuses (no customerId): the refusal must not echo the text.
    lines = [interaction("chat", "zh", TEXTS[0][2]), {k: v for k, v in interaction("chat", "zh", TEXTS[0][2]).items() if k != "customerId"}]
    status, answer = http("POST", f"{ingest}/v1/interactions:batch", "\n".join(json.dumps(l, ensure_ascii=False) for l in lines).encode(),
                          dict(auth, **{"Content-Type": "application/x-ndjson"}))
    status == 200 or fail(f"the batch answered {status} {answer}")
    # A record no stage can decode (no interactionId), with the personal values inside.
    poison = json.dumps({"customerId": CUSTOMER, "channel": "chat", "text": TEXTS[0][2], "note": f"{EMAIL} {ID_CARD}"}, ensure_ascii=False)
    subprocess.run(["kcat", "-P", "-b", broker, "-t", "voc.interaction.received.v1", "-k", CUSTOMER,
                    "-H", "ce_specversion=1.0", "-H", f"ce_id=pii-poison-{uuid.uuid4()}", "-H", "ce_type=voc.interaction.received.v1",
                    "-H", "ce_source=/no-pii-test", "-H", f"ce_time={occurred}", "-H", f"ce_subject={CUSTOMER}",
                    "-H", "content-type=application/json"], input=poison.encode(), check=True)

    # Route may have read the interactions before the customer's owners: send once more
    # until an owner notification of this customer has been delivered.
    def notified():
        requested = [json.loads(l) for l in kcat_read(broker, "voc.notification.requested.v1") if CUSTOMER in l]
        ids = {n["notificationId"] for n in requested if n.get("kind") == "owner_sync"}
        delivered = [json.loads(l) for l in kcat_read(broker, "voc.notification.delivered.v1") if '"delivered"' in l]
        return any(d["notificationId"] in ids for d in delivered)

    deadline = time.time() + 180
    while not notified():
        time.time() < deadline or fail("no owner notification of the PII customer was delivered within 180 s")
        http("POST", f"{ingest}/v1/interactions", interaction(*TEXTS[0]), auth)
        time.sleep(3)
    wait_for("the poison record's dead letters", 
             lambda: any('"voc.interaction.received.v1"' in l for l in kcat_read(broker, "voc.deadletter.v1")), 120)
    wait_for("insights of every channel", lambda: len([l for l in kcat_read(broker, "voc.insight.produced.v1") if CUSTOMER in l]) >= len(TEXTS), 120)
    # The values did go in: the interaction topic carries them as sent.
    raw = "\n".join(kcat_read(broker, "voc.interaction.received.v1"))
    for value in [MOBILE, ID_CARD, BANK_CARD, EMAIL, NAME]:
        value in raw or fail(f"{value} is not on the interaction topic: the test sent no PII")
    time.sleep(2)  # the last batch's logs


def check_logs(folder):
    logs = []
    for root, _, files in os.walk(folder):
        logs += [os.path.join(root, f) for f in files if f.endswith(".log")]
    services = {os.path.basename(p)[:-4] for p in logs}
    for expected in ["voc-ingest", "voc-transcribe", "voc-analyze", "voc-route", "voc-notify", "voc-projector"]:
        expected in services or fail(f"no log of {expected} among {sorted(services)}")
    found, lines = [], 0
    for path in sorted(logs):
        with open(path, encoding="utf-8", errors="replace") as log:
            for number, line in enumerate(log, 1):
                lines += 1
                for needle in NEEDLES:
                    if needle in line:
                        found.append(f"{os.path.relpath(path, folder)}:{number}: {needle}: {line.strip()[:300]}")
    if found:
        print("\n".join(found[:40]))
        fail(f"{len(found)} log lines carry personal data (logs kept in {folder})")
    print(f"no-pii-in-logs: {len(logs)} logs, {lines} lines at level debug, none carries any of {len(NEEDLES)} personal values")
    print("no-pii-in-logs: 1 passed, 0 failed")


if __name__ == "__main__":
    main()
