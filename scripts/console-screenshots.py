#!/usr/bin/env python3
"""Screenshots of the console in headless Chromium, against a live `voc up` fed by `voc demo`.

Starts `voc up` on free ports, feeds it a made-up day, mints a manager token and drives
Debian's chromium over the DevTools protocol (on a pipe: no port, no websocket library)
through sign-in, customers, a customer 360, the ticket queue, scorecards, trends and the
digest, at 1280 px and at a phone's width. Each page is saved as a PNG under the output
folder. Fails on any HTTP status >= 400, any console error or uncaught exception, any
failed load, or a page whose main content is empty.

usage: scripts/console-screenshots.py [VOC_BINARY] [OUTPUT_FOLDER]
Environment: CHROMIUM (default chromium), CONSOLE_RECORDINGS (recorded demo calls, default 2;
with VOC_REQUIRE_WHISPER=1 the digest must show one with a player).
"""
import base64
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

VOC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/voc")
OUT = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else ".build/console-screenshots")
CHROMIUM = os.environ.get("CHROMIUM", "chromium")
RECORDINGS = int(os.environ.get("CONSOLE_RECORDINGS", "2"))
REQUIRE_RECORDING = os.environ.get("VOC_REQUIRE_WHISPER") == "1" and RECORDINGS > 0
SIZES = [("desktop", 1280, 900, False), ("phone", 390, 844, True)]


def log(message):
    print(f"console: {message}", flush=True)


class Failure(Exception):
    pass


def http(url, token=None, headers=None):
    request = urllib.request.Request(url, headers=dict(headers or {}))
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def wait_for(what, check, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise Failure(f"timed out after {seconds} s waiting for {what}")


class DevTools:
    """The DevTools protocol over --remote-debugging-pipe: JSON messages ended by NUL."""

    def __init__(self, profile):
        to_browser, self.write_fd = os.pipe()
        self.read_fd, from_browser = os.pipe()

        def wire():
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--mute-audio",
             "--hide-scrollbars", f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "wb"))
        os.close(to_browser)
        os.close(from_browser)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            for reply in self.read(deadline):
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise Failure(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                if "method" in reply:
                    self.events.append(reply)
        raise Failure(f"no answer to {method} within {timeout} s")

    def read(self, deadline):
        import select
        ready, _, _ = select.select([self.read_fd], [], [], max(0.0, min(1.0, deadline - time.time())))
        if not ready:
            return []
        chunk = os.read(self.read_fd, 1 << 20)
        if not chunk:
            raise Failure("chromium closed the DevTools pipe")
        self.buffer += chunk
        *messages, self.buffer = self.buffer.split(b"\0")
        return [json.loads(m) for m in messages if m]

    def pump(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            self.events += [m for m in self.read(deadline) if "method" in m]

    def open_tab(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    def evaluate(self, expression, await_promise=False):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            raise Failure(f"evaluating {expression}: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Failure:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def problems_in(events):
    """HTTP errors, console errors, exceptions and failed loads among DevTools events."""
    found = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Network.responseReceived" and params["response"]["status"] >= 400:
            found.append(f"HTTP {params['response']['status']} {params['response']['url']}")
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            found.append(f"load failed: {params.get('errorText')} ({params.get('type')})")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            found.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            found.append("exception: " + params["exceptionDetails"].get("text", ""))
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            found.append(f"console error: {params['entry']['text']} {params['entry'].get('url', '')}")
    return found


def shoot(tools, url, name, width, height, mobile, expect_path=None):
    tools.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    tools.events = []
    tools.send("Page.navigate", {"url": url})
    wanted = expect_path or urllib.parse.urlparse(url).path
    def loaded():
        try:
            done = tools.evaluate(f"document.readyState === 'complete' && location.pathname === {json.dumps(wanted)}")
        except Failure:  # the page was replaced while we asked (a redirect)
            done = False
        if not done:
            tools.pump(0.2)
        return done
    wait_for(f"{name} to load", loaded, 30)
    tools.pump(1.0)  # late subresources, media metadata, console messages
    text = tools.evaluate("(document.querySelector('main') || document.body).innerText.trim().length")
    if not text or text < 40:
        raise Failure(f"{name}: the page is empty ({text} characters in <main>)")
    problems = problems_in(tools.events)
    if problems:
        raise Failure(f"{name}: " + "; ".join(problems))
    metrics = tools.send("Page.getLayoutMetrics")
    full = metrics.get("cssContentSize") or metrics["contentSize"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(max(height, full["height"]), 6000), "scale": 1}
    shot = tools.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})
    path = os.path.join(OUT, f"{name}.png")
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))
    log(f"{name}.png ({width}x{int(clip['height'])}, {text} characters)")


def main():
    if not shutil.which(CHROMIUM):
        raise Failure(f"{CHROMIUM} is not installed (apt-get install chromium)")
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".png"):
            os.remove(os.path.join(OUT, old))
    work = tempfile.mkdtemp(prefix="voc-console.")
    os.chmod(work, 0o755)
    # Below Linux's ephemeral range (32768–60999), where the brokers' and clients' own
    # sockets could already hold one of the ports.
    base = 20000 + random.randrange(10000)
    ports = {name: base + i for i, name in enumerate(["postgres", "ingest", "projector", "analyze", "transcribe", "route", "notify"])}
    up_log = open(os.path.join(work, "up.log"), "wb")
    # The local speech engine gets a port of its own too: other stacks on the machine may hold the default.
    environment = dict(os.environ, VOC_TRANSCRIBE_LOCAL_PORT=str(base + len(ports)))
    up = subprocess.Popen(
        [VOC, "up", "--dir", os.path.join(work, "state")] + [f"--{n}-port={p}" for n, p in ports.items()],
        stdout=up_log, stderr=subprocess.STDOUT, env=environment)
    read = f"http://127.0.0.1:{ports['projector']}"
    tools = None
    try:
        def ready():
            if up.poll() is not None:
                up_log.flush()
                with open(os.path.join(work, "up.log"), errors="replace") as log_file:
                    raise Failure(f"voc up exited with {up.returncode}: " + log_file.read()[-1500:])
            return http(f"{read}/readyz")[0] == 200 and http(f"http://127.0.0.1:{ports['ingest']}/healthz")[0] == 200
        wait_for("voc up", ready, 120)
        demo = subprocess.run(
            [VOC, "demo", "--url", f"http://127.0.0.1:{ports['ingest']}", "--read-url", read, "--dir", os.path.join(work, "state"),
             "--customers", "12", "--interactions", "90", "--recordings", str(RECORDINGS)], capture_output=True, text=True)
        if demo.returncode != 0:
            raise Failure(f"voc demo failed: {demo.stdout[-600:]} {demo.stderr[-600:]}")
        secret = ["--secret-file", os.path.join(work, "state", "read-token-secret")]
        token = subprocess.run([VOC, "token", "create", "--subject", "console-check", "--role", "manager", "--sensitive"] + secret,
                               capture_output=True, text=True, check=True).stdout.strip()
        link = subprocess.run([VOC, "token", "create", "--subject", "console-check", "--role", "manager", "--sensitive", "--link",
                               "--console-url", read] + secret, capture_output=True, text=True, check=True).stdout.strip()

        def json_of(path):
            status, body = http(read + path, token)
            return json.loads(body) if status == 200 else None

        wait_for("tickets in the queue", lambda: (json_of("/v1/ticket-queue?limit=1") or {}).get("tickets"), 180)

        def digest_ready():
            digest = json_of("/v1/digest") or {}
            return [item for line in digest.get("lines", []) for item in line["items"]] or None
        items = wait_for("the digest", digest_ready, 300)

        def analysed_recording():
            # A recorded call on some customer's timeline, transcribed and analysed.
            for summary in (json_of("/v1/customers?limit=200") or {}).get("customers", []):
                path = "/v1/customers/" + urllib.parse.quote(summary["customerId"], safe="")
                for entry in (json_of(path + "/timeline?limit=200") or {}).get("entries", []):
                    if entry.get("hasAudio") and entry.get("insight"):
                        return summary["customerId"], entry["entryId"]
            return None
        recorded = wait_for("an analysed recording", analysed_recording, 300) if REQUIRE_RECORDING else None
        # The 360 of a customer with a recording shows its player on the timeline.
        customer = recorded[0] if recorded else items[0]["customerId"]
        if recorded:
            status, body = http(f"{read}/v1/recordings/" + urllib.parse.quote(recorded[1], safe=""), token, {"Range": "bytes=0-99"})
            if status != 206 or len(body) != 100:
                raise Failure(f"the recording of {recorded[1]} answered {status} with {len(body)} bytes to bytes=0-99")
            log(f"the recording of {recorded[1]} answered bytes=0-99 with 206")

        pages = [
            ("customers", "/console/customers"),
            ("customer-360", "/console/customers/" + urllib.parse.quote(customer, safe="")),
            ("tickets", "/console/tickets"),
            ("scorecards", "/console/scorecards"),
            ("trends", "/console/trends"),
            ("digest", "/console/digest"),
        ]
        tools = DevTools(tempfile.mkdtemp(prefix="chromium.", dir=work))
        tools.open_tab()
        shots = 0
        for size, width, height, mobile in SIZES:
            shoot(tools, f"{read}/console/sign-in?lang=en" if size == "desktop" else f"{read}/console/sign-in?lang=zh",
                  f"{size}-01-sign-in", width, height, mobile)
            shots += 1
            # The link `voc token create --link` prints: its script posts the token and lands on the customers page.
            shoot(tools, link, f"{size}-02-signed-in", width, height, mobile, expect_path="/console/customers")
            shots += 1
            for index, (name, path) in enumerate(pages[1:], start=3):
                shoot(tools, read + path, f"{size}-{index:02d}-{name}", width, height, mobile)
                shots += 1
            if size == "desktop" and recorded:
                shoot(tools, read + pages[1][1], "desktop-09-customer-360-player", width, height, mobile)
                count = tools.evaluate("document.querySelectorAll('audio[src]').length")
                playable = tools.evaluate(
                    "Promise.all([...document.querySelectorAll('audio[src]')].map(a => fetch(a.src, {headers: {Range: 'bytes=0-9'}})"
                    ".then(r => r.status))).then(s => s.join(','))", await_promise=True)
                if not count or set(playable.split(",")) != {"206"}:
                    raise Failure(f"customer 360: {count} players, range requests answered {playable}")
                log(f"customer 360: {count} audio player(s), each answers a range request with 206")
            # Sign out so the phone run signs in again through the link.
            tools.send("Network.clearBrowserCookies")
        log(f"screenshots in {OUT}")
        print(f"console: {shots} passed, 0 failed")
    finally:
        if tools:
            tools.close()
        up.send_signal(signal.SIGINT)
        try:
            up.wait(timeout=60)
        except subprocess.TimeoutExpired:
            up.kill()
        shutil.copy(os.path.join(work, "up.log"), os.path.join(OUT, "voc-up.log"))
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except (Failure, subprocess.CalledProcessError) as error:
        print(f"console: {error}")
        print("console: 0 passed, 1 failed")
        sys.exit(1)
