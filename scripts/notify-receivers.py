#!/usr/bin/env python3
"""Local receivers for the notify tests, written against the platforms' documents, not
against our code: a webhook endpoint that verifies signatures with the PyPI
`standardwebhooks` library (and the body against docs/notify-webhook.v1.schema.json), WeCom and DingTalk robot endpoints (DingTalk's signature
checked here with hmac), and an SMTP server (PyPI `aiosmtpd`). Everything received is
served back as JSON at GET /_log.

usage: notify-receivers.py READY_FILE WEBHOOK_SECRET DINGTALK_SECRET OLD_WEBHOOK_SECRET [TLS_CERT TLS_KEY]
POST /hook/old verifies with OLD_WEBHOOK_SECRET alone, as a receiver not yet rotated.
Writes {"http": port, "smtp": port, "smtpAuth": port[, "smtpTls": port]} to READY_FILE
once all listen; smtpAuth requires AUTH as voc-notify / relay-password. Given a
certificate and key (PEM), smtpTls is a relay that requires STARTTLS with that
certificate, then AUTH, as a submission relay does.
"""
import base64
import hashlib
import hmac
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from jsonschema import Draft202012Validator
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

READY_FILE, WEBHOOK_SECRET, DINGTALK_SECRET, OLD_WEBHOOK_SECRET = sys.argv[1:5]
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "notify-webhook.v1.schema.json")
with open(SCHEMA_FILE, encoding="utf-8") as schema_file:
    WEBHOOK_SCHEMA = Draft202012Validator(json.load(schema_file))
LOG = []
HITS = {}
LOCK = threading.Lock()


def record(entry):
    with LOCK:
        entry["at"] = time.time()
        LOG.append(entry)


def hit(name):
    with LOCK:
        HITS[name] = HITS.get(name, 0) + 1
        return HITS[name]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_log":
            with LOCK:
                return self.answer(200, LOG)
        self.answer(404, {"error": "no such path"})

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if url.path.startswith("/hook/"):
            return self.webhook(url.path[len("/hook/"):], body, query)
        if url.path == "/cgi-bin/webhook/send":
            return self.wecom(query.get("key", [""])[0], body)
        if url.path == "/robot/send":
            return self.dingtalk(query, body)
        self.answer(404, {"error": "no such path"})

    def webhook(self, mode, body, query):
        headers = {k.lower(): v for k, v in self.headers.items()}
        secret = OLD_WEBHOOK_SECRET if mode == "old" else WEBHOOK_SECRET
        count = hit("hook/" + mode)
        if mode == "slow":
            time.sleep(float(query.get("seconds", ["3"])[0]))
        if mode == "fail500":
            record({"kind": "webhook", "mode": mode, "headers": headers})
            return self.answer(500, {"error": "down"})
        if mode == "gone":
            record({"kind": "webhook", "mode": mode, "headers": headers})
            return self.answer(410, {"error": "gone"})
        if mode == "bad":
            record({"kind": "webhook", "mode": mode, "headers": headers})
            return self.answer(422, {"error": "rejected by receiver"})
        if mode == "flaky" and count <= 2:
            record({"kind": "webhook", "mode": mode, "headers": headers, "status": 503})
            return self.answer(503, {"error": "busy"}, {"retry-after": "0"})
        try:
            payload = Webhook(secret).verify(body, headers)
        except WebhookVerificationError as error:
            record({"kind": "webhook", "mode": mode, "verified": False, "error": str(error), "headers": headers})
            return self.answer(401, {"error": str(error)})
        problems = [error.message for error in WEBHOOK_SCHEMA.iter_errors(payload)]
        record({"kind": "webhook", "mode": mode, "verified": True, "headers": headers, "payload": payload,
                "schemaProblems": problems})
        self.answer(200, {"ok": True})

    def wecom(self, key, body):
        message = json.loads(body)
        content = message.get("markdown", {}).get("content", "")
        size = len(content.encode())
        # WeCom answers 45009 when a robot sends over 20 a minute; "busy-once" does so once.
        if key == "busy-once" and hit("wecom/" + key) == 1:
            record({"kind": "wecom", "key": key, "refused": 45009, "content": content})
            return self.answer(200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        if message.get("msgtype") != "markdown" or size > 4096:
            record({"kind": "wecom", "key": key, "refused": 40058, "bytes": size})
            return self.answer(200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"})
        record({"kind": "wecom", "key": key, "content": content, "bytes": size})
        self.answer(200, {"errcode": 0, "errmsg": "ok"})

    def dingtalk(self, query, body):
        token = query.get("access_token", [""])[0]
        timestamp = query.get("timestamp", [""])[0]
        sign = query.get("sign", [""])[0]
        expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600_000
        message = json.loads(body)
        if not (fresh and hmac.compare_digest(sign, expected)):
            record({"kind": "dingtalk", "token": token, "refused": 310000})
            return self.answer(200, {"errcode": 310000, "errmsg": "sign not match"})
        record({"kind": "dingtalk", "token": token, "message": message})
        self.answer(200, {"errcode": 0, "errmsg": "ok"})


class MailHandler:
    def __init__(self, port=0):
        self.port = port

    async def handle_DATA(self, server, session, envelope):
        record({"kind": "mail", "from": envelope.mail_from, "to": envelope.rcpt_tos, "port": self.port,
                "tls": session.ssl is not None, "authenticated": bool(session.authenticated),
                "data": envelope.content.decode("utf-8", "replace")})
        return "250 Message accepted for delivery"


SMTP_USER, SMTP_PASSWORD = "voc-notify", "relay-password"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode() \
        and auth_data.password == SMTP_PASSWORD.encode()
    # handled=False: aiosmtpd answers 535 itself on a failure.
    return AuthResult(success=ok, handled=False)


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    smtp_port = free_port()
    smtp = Controller(MailHandler(smtp_port), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    # A relay that requires AUTH (over plain TCP here; the tests have no certificate).
    auth_port = free_port()
    relay = Controller(MailHandler(auth_port), hostname="127.0.0.1", port=auth_port, authenticator=authenticator,
                       auth_required=True, auth_require_tls=False)
    relay.start()
    ports = {"http": server.server_address[1], "smtp": smtp_port, "smtpAuth": auth_port}
    if len(sys.argv) > 6:
        # A relay that refuses everything but STARTTLS, then AUTH over the encrypted channel.
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[5], sys.argv[6])
        tls_port = free_port()
        secure = Controller(MailHandler(tls_port), hostname="127.0.0.1", port=tls_port, authenticator=authenticator,
                            auth_required=True, tls_context=context, require_starttls=True)
        secure.start()
        ports["smtpTls"] = tls_port
    with open(READY_FILE + ".tmp", "w") as ready:
        json.dump(ports, ready)
    os.rename(READY_FILE + ".tmp", READY_FILE)
    server.serve_forever()


if __name__ == "__main__":
    main()
