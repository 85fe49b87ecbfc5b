import Foundation
import Logging
import Transcribe
import VOCProcess
import VOCRuntime
import VOCSchema

/// `voc bench transcribe --adapter-only`: the CPU the transcribe-adapter itself spends per
/// second of audio while a speech engine does the work.
///
/// The engine is a fake in a child process (a few lines of Python's `http.server`): it
/// answers `POST /v1/audio/transcriptions` with a valid `verbose_json` body, words spread
/// over the whole channel, after waiting `engine-rtf` × the channel's duration. Its CPU is
/// not counted: the figures are `getrusage(RUSAGE_SELF)` of this process over the run
/// (ffmpeg, which the adapter starts to decode each recording, is a child and printed
/// apart).
struct TranscribeAdapterBench {
    var concurrency: Int
    var rounds: Int
    var engineRTF: Double
    var voice: SyntheticCall.Voice

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench")
        let folder = NSTemporaryDirectory() + "/voc-bench-adapter-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let calls = try SyntheticCall.benchmarkSet.enumerated().map { index, call in
            (call.businessLine, try SyntheticCall.make(in: folder, turns: call.turns, voice: voice, name: "call\(index)"))
        }
        let port = 19_800 + Int.random(in: 0..<500)
        let script = folder + "/fake_engine.py"
        try Self.fakeEngine.write(toFile: script, atomically: true, encoding: .utf8)
        guard let python = ChildProcess.resolve("python3"),
              let server = SpawnedProcess([python, script, "\(port)", "\(engineRTF)"], outputPath: folder + "/fake-engine.log") else {
            throw TranscribeError(.toolFailed, "python3 is needed for the fake engine")
        }
        defer {
            server.signal(SIGKILL)
            _ = server.waitForExit()
        }
        try await waitForEngine(port: port)

        var configuration = try TranscribeConfiguration(config: try await Settings.reader())
        configuration.workDirectory = folder
        configuration.engine = "http"
        configuration.remote = RemoteEngineSettings(name: "fake", url: "http://127.0.0.1:\(port)", model: "fake")
        configuration.client.retries = 0
        let transcriber = try EngineCatalog.transcriber(named: "http", configuration: configuration, logger: logger)
        let layout = ChannelLayout.stereo(left: .agent, right: .customer)

        // Warm-up: connections, caches, first allocations.
        _ = try await transcriber.transcribe(path: calls[0].1.path, layout: layout, language: "en", businessLine: calls[0].0)

        // Whole adapter path: ffmpeg decode, speech gate, both channels to the engine, merge.
        let jobs = (0..<max(1, rounds) * max(1, concurrency)).map { calls[$0 % calls.count] }
        let whole = try await measure(concurrency: concurrency, jobs: jobs) { job in
            let result = try await transcriber.transcribe(path: job.1.path, layout: layout, language: "en", businessLine: job.0)
            return (Double(result.audioDurationMs) / 1000, result.repairedRegions)
        }

        // The engine client alone: the gated channels as WAV, straight to the engine.
        let normalizer = AudioNormalizer(ffmpeg: configuration.ffmpeg, ffprobe: configuration.ffprobe)
        var channels: [(Data, Double)] = []
        for (_, call) in calls {
            let audio = try await normalizer.decode(call.path, keepStereo: true, workFolder: folder)
            for samples in audio.channels {
                channels.append((PCMAudio.wav(samples), Double(samples.count) / Double(PCMAudio.sampleRate)))
            }
        }
        let engine = transcriber.engine
        let requests = (0..<max(1, rounds) * max(1, concurrency)).map { channels[$0 % channels.count] }
        let client = try await measure(concurrency: concurrency, jobs: requests) { job in
            _ = try await engine.transcribe(EngineRequest(wav: job.0, language: "en", prompt: nil))
            return (job.1, 0)
        }
        await transcriber.shutdown()

        print("""

            Transcribe-adapter CPU while the engine works: fake OpenAI-compatible engine in a child process \
            (Python http.server, answers after \(engineRTF) × the channel's duration; its CPU is not counted), \
            \(calls.count) synthetic stereo calls, \(concurrency) at a time, \(max(1, rounds)) rounds after a warm-up
            """)
        for (label, figures) in [("whole adapter path (Transcriber, stereo: ffmpeg decode, speech gate, both channels, merge)", whole),
                                 ("engine client only (OpenAICompatibleEngine, one channel per call, audio s = channel s)", client)] {
            print(figures.report(label: label, concurrency: concurrency))
        }
        print("")
    }

    struct Figures {
        var audioSeconds: Double
        var wallSeconds: Double
        var user: Double
        var system: Double
        var children: Double
        var jobs: Int
        var repaired: Int

        func report(label: String, concurrency: Int) -> String {
            let cpu = user + system
            return """
                  \(label)
                    jobs                  \(jobs), \(concurrency) concurrent
                    audio                 \(String(format: "%.1f", audioSeconds)) s
                    wall                  \(String(format: "%.2f", wallSeconds)) s
                    adapter CPU           \(String(format: "%.3f", cpu)) s   (user \(String(format: "%.3f", user)) s, system \(String(format: "%.3f", system)) s; getrusage of this process)
                    CPU-s per audio-s     \(String(format: "%.4f", cpu / audioSeconds))   (user \(String(format: "%.4f", user / audioSeconds)), system \(String(format: "%.4f", system / audioSeconds)))
                    ffmpeg (children)     \(String(format: "%.3f", children)) s   (\(String(format: "%.4f", children / audioSeconds)) per audio-s)
                    regions sent again    \(repaired)
                """
        }
    }

    /// Runs `jobs` with at most `concurrency` at a time and measures this process's CPU.
    func measure<Job: Sendable>(concurrency: Int, jobs: [Job],
                                _ work: @escaping @Sendable (Job) async throws -> (audioSeconds: Double, repaired: Int)) async throws -> Figures {
        let before = CPUTime.now(), started = ContinuousClock.now
        var audio = 0.0, repaired = 0
        try await withThrowingTaskGroup(of: (audioSeconds: Double, repaired: Int).self) { group in
            var next = 0
            for _ in 0..<min(max(1, concurrency), jobs.count) {
                let job = jobs[next]
                next += 1
                group.addTask { try await work(job) }
            }
            while let done = try await group.next() {
                audio += done.audioSeconds
                repaired += done.repaired
                if next < jobs.count {
                    let job = jobs[next]
                    next += 1
                    group.addTask { try await work(job) }
                }
            }
        }
        let elapsed = ContinuousClock.now - started, after = CPUTime.now()
        return Figures(audioSeconds: audio,
                       wallSeconds: elapsed.seconds,
                       user: after.user - before.user, system: after.system - before.system,
                       children: after.children - before.children, jobs: jobs.count, repaired: repaired)
    }

    func waitForEngine(port: Int) async throws {
        guard await waitUntilListening(port: port) else {
            throw TranscribeError(.engineUnavailable, "the fake engine did not start on port \(port)")
        }
    }

    /// The fake engine: reads the multipart body, finds the WAV's length, waits, answers
    /// `verbose_json` with a word every 0.4 s so the adapter sends no region again.
    static let fakeEngine = #"""
        import json, struct, sys, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        RTF = float(sys.argv[2])
        WORDS = "the customer asked about the refund of the annual fee on the card".split()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                riff = body.find(b"RIFF")
                seconds = 0.0
                if riff >= 0:
                    size = struct.unpack("<I", body[riff + 40:riff + 44])[0]
                    seconds = size / 32000.0
                time.sleep(seconds * RTF)
                words, t, i = [], 0.0, 0
                while t + 0.3 <= seconds:
                    words.append({"word": " " + WORDS[i % len(WORDS)], "start": round(t, 2), "end": round(t + 0.3, 2), "probability": 0.95})
                    t += 0.4
                    i += 1
                text = "".join(w["word"] for w in words)
                answer = {"task": "transcribe", "language": "en", "duration": seconds, "text": text,
                          "segments": [{"id": 0, "start": 0.0, "end": seconds, "text": text, "avg_logprob": -0.1,
                                        "no_speech_prob": 0.01, "compression_ratio": 1.2, "words": words}]}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        ThreadingHTTPServer.daemon_threads = True
        ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """#
}
