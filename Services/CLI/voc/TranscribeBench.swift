import ArgumentParser
import Foundation
import Logging
import Transcribe
import VOCRuntime
import VOCSchema

/// `voc bench transcribe`: real-time factor, transcripts per second and word error rate
/// of each engine on the synthetic calls (espeak-ng voices, stereo, noise between turns).
struct TranscribeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Speech engines on synthetic stereo calls: RTF on one core, transcripts/s, WER; or, with --adapter-only, the adapter's own CPU per audio second.")

    @Option(help: "Engines to measure (\(EngineCatalog.names.joined(separator: ", "))); repeat the option for several.")
    var engine: [String] = ["local"]

    @Option(help: "Times each call is transcribed (after one unmeasured warm-up).")
    var rounds: Int = 2

    @Option(help: "CPU the local engine is pinned to (taskset); empty for no pinning.")
    var cpus: String = "0"

    @Option(help: "Model threads of the local engine.")
    var threads: Int = 1

    @Option(help: "espeak-ng voice of both speakers.")
    var voice: String = SyntheticCall.Voice().agent

    @Option(help: "espeak-ng speed, words per minute.")
    var speed: Int = SyntheticCall.Voice().speed

    @Flag(help: "Print every transcript next to its reference.")
    var verbose = false

    @Option(help: "Keep the synthetic calls in this folder (deleted otherwise).")
    var keep: String?

    @Flag(help: "Measure the adapter's own CPU per second of audio against a fake engine in a child process (no real engine).")
    var adapterOnly = false

    @Option(help: "With --adapter-only: transcriptions in flight at once.")
    var concurrency: Int = 8

    @Option(help: "With --adapter-only: the fake engine answers after this × the channel's duration.")
    var engineRtf: Double = 0.1

    func run() async throws {
        if adapterOnly {
            var spoken = SyntheticCall.Voice()
            spoken.agent = voice
            spoken.customer = voice
            spoken.speed = speed
            try await TranscribeAdapterBench(concurrency: concurrency, rounds: rounds, engineRTF: engineRtf, voice: spoken).run()
            return
        }
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench")
        var configuration = try TranscribeConfiguration(config: try await Settings.reader())
        let folder = keep.map { URL(fileURLWithPath: $0).standardizedFileURL.path } ?? NSTemporaryDirectory() + "/voc-bench-transcribe-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: folder) } }
        configuration.workDirectory = folder

        let calls = try SyntheticCall.benchmarkSet.enumerated().map { index, call in
            var spoken = SyntheticCall.Voice()
            spoken.agent = voice
            spoken.customer = voice
            spoken.speed = speed
            return (call.businessLine, try SyntheticCall.make(in: folder, turns: call.turns, voice: spoken, name: "call\(index)"))
        }
        let audioMs = calls.reduce(0) { $0 + $1.1.durationMs }
        print("""

            Transcription benchmark: \(calls.count) synthetic stereo calls (espeak-ng \(voice) at \(speed) wpm, agent left / customer right, \
            low noise between turns), \(String(format: "%.1f", Double(audioMs) / 1000)) s of audio, \(rounds) rounds after a warm-up
            """)

        for name in engine {
            var local = configuration.local
            local.threads = threads
            local.cpus = cpus
            local.port = 19_300 + Int.random(in: 0..<500)
            local.logFile = folder + "/whisper-server.log"
            configuration.local = local
            let server = name == "local" ? try await LocalWhisperServer(settings: local, logger: logger).startIfNeeded() : nil

            for prompted in [true, false] {
                var transcriber = try EngineCatalog.transcriber(named: name, configuration: configuration, logger: logger)
                if !prompted { transcriber.vocabulary = DomainVocabulary() }
                // Warm-up: the first call pays for loading and caches.
                _ = try await transcriber.transcribe(path: calls[0].1.path, layout: .stereo(left: .agent, right: .customer),
                                                     language: "en", businessLine: calls[0].0)
                var errors = 0, words = 0, transcripts = 0, rolesRight = 0, utterances = 0, speechMs = 0, repaired = 0
                var engineIdentity = ""
                let started = ContinuousClock.now
                for _ in 0..<max(1, rounds) {
                    for (line, call) in calls {
                        let result = try await transcriber.transcribe(path: call.path, layout: .stereo(left: .agent, right: .customer),
                                                                      language: "en", businessLine: line)
                        let score = WordErrorRate.score(reference: call.referenceText, hypothesis: result.text)
                        if verbose {
                            print("    reference   \(call.referenceText)\n    transcript  \(result.text)   (WER \(String(format: "%.3f", score.rate)))")
                        }
                        speechMs += result.speechMs
                        repaired += result.repairedRegions
                        errors += score.errors
                        words += score.referenceWords
                        transcripts += 1
                        engineIdentity = "\(result.engine.name) \(result.engine.version)"
                        for utterance in result.utterances {
                            utterances += 1
                            let middle = ((utterance.startMs ?? 0) + (utterance.endMs ?? 0)) / 2
                            if call.turns.contains(where: { $0.speaker == utterance.speaker && ($0.startMs - 300...$0.endMs + 300).contains(middle) }) {
                                rolesRight += 1
                            }
                        }
                    }
                }
                let elapsed = ContinuousClock.now - started
                let seconds = elapsed.seconds
                let audioSeconds = Double(audioMs * max(1, rounds)) / 1000
                let label = name == "local" ? "local (\(engineIdentity), \(threads) thread\(threads == 1 ? "" : "s")\(cpus.isEmpty ? "" : ", pinned to CPU \(cpus)"))"
                                            : "\(name) (\(engineIdentity))"
                print("""
                      engine \(label), domain prompt \(prompted ? "on" : "off")
                        real-time factor      \(String(format: "%.3f", seconds / audioSeconds))   (processing s / audio s, whole path: ffmpeg, gate, both channels)
                        RTF on speech         \(String(format: "%.3f", seconds / (Double(speechMs) / 1000)))   (processing s / s of speech the gate passed, channels summed)
                        transcripts/s         \(String(format: "%.3f", Double(transcripts) / seconds))
                        WER                   \(String(format: "%.3f", Double(errors) / Double(max(1, words))))   (\(errors) errors / \(words) reference words)
                        speaker roles right   \(rolesRight) / \(utterances) utterances
                        regions sent again    \(repaired)   (the engine skipped them in its first pass over a channel)
                    """)
                await transcriber.shutdown()
            }
            if let server { await SupervisedProcess.stop(server) }
        }
        print("")
    }
}
