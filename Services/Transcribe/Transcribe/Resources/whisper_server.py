"""The local speech engine of the embedded default.

A small HTTP server speaking the OpenAI-compatible transcription protocol
(POST /v1/audio/transcriptions, multipart, response_format=verbose_json with segment and
word timestamps) on top of faster-whisper. `voc up` starts and supervises it; the
transcribe-adapter talks to it exactly as it talks to any other engine of that protocol.

The model is a local folder (CTranslate2 format); nothing is downloaded: HF_HUB_OFFLINE=1
is set before faster-whisper is imported.

    python whisper_server.py --model DIR [--host 127.0.0.1] [--port 9300] [--threads 1]
                             [--compute-type int8] [--beam-size 5] [--parent-pid PID]
"""

import argparse
import email.parser
import email.policy
import io
import json
import math
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import faster_whisper  # noqa: E402
from faster_whisper import WhisperModel, decode_audio  # noqa: E402

MAX_BODY_BYTES = 200 * 1024 * 1024


class BadRequest(Exception):
    pass


class Engine:
    """One model; transcriptions run one at a time (the model uses every thread given)."""

    def __init__(self, model_dir, threads, compute_type, beam_size):
        self.model_dir = model_dir
        self.beam_size = beam_size
        self.compute_type = compute_type
        self.model = WhisperModel(model_dir, device="cpu", compute_type=compute_type, cpu_threads=threads)
        self.lock = threading.Lock()
        self.info = {
            "name": "faster-whisper",
            "version": faster_whisper.__version__,
            "model": os.path.basename(os.path.normpath(model_dir)),
            "compute_type": compute_type,
        }

    def transcribe(self, audio_bytes, language, prompt, words, temperature):
        try:
            audio = decode_audio(io.BytesIO(audio_bytes), sampling_rate=16000)
        except Exception as error:  # PyAV raises many kinds for undecodable input
            raise BadRequest(f"cannot decode audio: {error}")
        duration = len(audio) / 16000.0
        with self.lock:
            segments, info = self.model.transcribe(
                audio,
                language=language or None,
                initial_prompt=prompt or None,
                word_timestamps=words,
                beam_size=self.beam_size,
                temperature=temperature,
                condition_on_previous_text=False,
                vad_filter=False,
            )
            segments = list(segments)
        out_segments = []
        out_words = []
        for index, segment in enumerate(segments):
            seg_words = []
            for word in segment.words or []:
                item = {
                    "word": word.word,
                    "start": round(word.start, 3),
                    "end": round(word.end, 3),
                    "probability": round(word.probability, 4),
                }
                seg_words.append(item)
                out_words.append(item)
            out_segments.append({
                "id": index,
                "seek": segment.seek,
                "start": round(segment.start, 3),
                "end": round(segment.end, 3),
                "text": segment.text,
                "tokens": list(segment.tokens),
                "temperature": segment.temperature,
                "avg_logprob": segment.avg_logprob,
                "compression_ratio": segment.compression_ratio,
                "no_speech_prob": segment.no_speech_prob,
                "words": seg_words if words else None,
            })
        return {
            "task": "transcribe",
            "language": info.language,
            "duration": round(duration, 3),
            "text": "".join(s.text for s in segments).strip(),
            "segments": out_segments,
            "words": out_words if words else None,
            "x_engine": self.info,
        }


def parse_multipart(content_type, body):
    if not content_type.startswith("multipart/form-data"):
        raise BadRequest("expected multipart/form-data")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise BadRequest("malformed multipart body")
    fields, lists, file_bytes = {}, {}, None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        payload = part.get_payload(decode=True) or b""
        if name == "file":
            file_bytes = payload
        elif name.endswith("[]"):
            lists.setdefault(name[:-2], []).append(payload.decode("utf-8"))
        else:
            fields[name] = payload.decode("utf-8")
    if file_bytes is None:
        raise BadRequest("missing field: file")
    return fields, lists, file_bytes


class Handler(BaseHTTPRequestHandler):
    engine = None
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stderr.write("whisper-server: " + (fmt % args) + "\n")

    def send_json(self, status, value):
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_error_json(self, status, message, kind):
        self.send_json(status, {"error": {"message": message, "type": kind}})

    def do_GET(self):
        if self.path in ("/health", "/healthz"):
            self.send_json(200, {"status": "ok", "engine": self.engine.info})
        elif self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": self.engine.info["model"], "object": "model"}]})
        else:
            self.send_error_json(404, "not found", "invalid_request_error")

    def do_POST(self):
        if self.path != "/v1/audio/transcriptions":
            self.send_error_json(404, "not found", "invalid_request_error")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY_BYTES:
            self.send_error_json(413 if length > 0 else 400, "body missing or too large", "invalid_request_error")
            return
        body = self.rfile.read(length)
        started = time.monotonic()
        try:
            fields, lists, audio = parse_multipart(self.headers.get("Content-Type", ""), body)
            granularities = lists.get("timestamp_granularities", [])
            response_format = fields.get("response_format", "json")
            words = "word" in granularities
            temperature = float(fields.get("temperature") or 0.0)
            result = self.engine.transcribe(audio, fields.get("language"), fields.get("prompt"), words, temperature)
        except BadRequest as error:
            self.send_error_json(400, str(error), "invalid_request_error")
            return
        except Exception as error:  # the supervisor's log shows it; the client retries
            self.send_error_json(500, f"transcription failed: {error}", "server_error")
            return
        self.log_message("transcribed %.1f s of audio in %.2f s", result["duration"], time.monotonic() - started)
        if response_format == "text":
            body = result["text"].encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif response_format == "verbose_json":
            self.send_json(200, result)
        else:
            self.send_json(200, {"text": result["text"]})


def watch_parent(parent_pid):
    """Exits when the supervising process is gone, so no orphan keeps the port."""
    while True:
        if os.getppid() != parent_pid:
            os._exit(0)
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, help="folder of a CTranslate2 Whisper model")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9300)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--compute-type", default="int8")
    parser.add_argument("--beam-size", type=int, default=5)
    parser.add_argument("--parent-pid", type=int, default=0)
    args = parser.parse_args()
    if args.parent_pid:
        threading.Thread(target=watch_parent, args=(args.parent_pid,), daemon=True).start()
    if not math.isfinite(args.threads) or args.threads < 1:
        args.threads = 1
    Handler.engine = Engine(args.model, args.threads, args.compute_type, args.beam_size)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    sys.stderr.write(f"whisper-server: listening on http://{args.host}:{server.server_port} "
                     f"(faster-whisper {faster_whisper.__version__}, {args.model}, {args.compute_type})\n")
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
