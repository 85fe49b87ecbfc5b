import ArgumentParser
import Foundation
import Logging
import Transcribe
import VOCRuntime
import VOCSchema

/// `voc transcribe FILE…`: the stage's transcription path, offline, one JSON line per file.
struct TranscribeFiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcribe",
        abstract: "Transcribe recordings with the stage's own code; prints one JSON line per file.",
        discussion: """
            The local engine is started for the command when none answers at its address (it needs \
            `make whisper`). Configuration (engine URL, vocabulary, gate, confidence floor) is read as \
            by the service: VOC_CONFIG, VOC_TRANSCRIBE_* variables.
            """)

    @Argument(help: "Recordings (any format ffmpeg reads).")
    var files: [String]

    @Option(help: "Engine: \(EngineCatalog.names.joined(separator: " or ")) (default: transcribe.engine).")
    var engine: String?

    @Option(help: "mono, stereo (agent left), stereo_agent_left or stereo_agent_right.")
    var layout: String = "stereo"

    @Option(help: "BCP 47 language; omit to let the engine detect it.")
    var language: String?

    @Option(help: "Business line whose domain vocabulary prompt is sent.")
    var businessLine: String = "default"

    @Flag(help: "Also print what the gate and the confidence floor dropped.")
    var showDropped = false

    func run() async throws {
        let configuration = try TranscribeConfiguration(config: try await Settings.reader())
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-transcribe")
        let layout: AudioReference.Layout
        switch self.layout {
        case "mono": layout = .mono
        case "stereo", "stereo_agent_left": layout = .stereoAgentLeft
        case "stereo_agent_right": layout = .stereoAgentRight
        default: throw ValidationError("--layout must be mono, stereo, stereo_agent_left or stereo_agent_right")
        }
        let engineName = engine ?? configuration.engine
        let transcriber = try EngineCatalog.transcriber(named: engineName, configuration: configuration, logger: logger)
        var local = configuration.local
        local.logFile = NSTemporaryDirectory() + "/voc-whisper-\(getpid()).log"
        let started = engineName == "local" ? try await LocalWhisperServer(settings: local, logger: logger).startIfNeeded() : nil

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        var failures = 0
        for file in files {
            let line: FileLine
            do {
                let result = try await transcriber.transcribe(
                    path: file, layout: ChannelLayout(layout), language: language ?? (configuration.language.isEmpty ? nil : configuration.language),
                    businessLine: businessLine)
                line = FileLine(file: file, result: result, showDropped: showDropped)
            } catch {
                failures += 1
                line = FileLine(file: file, error: error.description)
            }
            print(String(decoding: try encoder.encode(line), as: UTF8.self))
        }
        await transcriber.shutdown()
        if let started { await SupervisedProcess.stop(started) }
        if failures > 0 { throw ExitCode(1) }
    }

    /// One output line.
    struct FileLine: Encodable {
        struct Line: Encodable {
            var speaker: String
            var startMs: Int?
            var endMs: Int?
            var text: String
            var confidence: Double
        }

        var file: String
        var text: String?
        var language: String?
        var durationMs: Int?
        var engine: String?
        var utterances: [Line]?
        var dropped: [TranscriptReady.DroppedSpeech]?
        var error: String?

        init(file: String, result: Transcription, showDropped: Bool) {
            self.file = file
            text = result.text
            language = result.language
            durationMs = result.audioDurationMs
            engine = "\(result.engine.name) \(result.engine.version)"
            utterances = result.utterances.map {
                Line(speaker: $0.speaker.rawValue, startMs: $0.startMs, endMs: $0.endMs, text: $0.text, confidence: $0.confidence)
            }
            dropped = showDropped ? result.dropped : nil
        }

        init(file: String, error: String) {
            self.file = file
            self.error = error
        }

        enum CodingKeys: String, CodingKey {
            case file, text, language, durationMs, engine, utterances, dropped, error
        }
    }
}
