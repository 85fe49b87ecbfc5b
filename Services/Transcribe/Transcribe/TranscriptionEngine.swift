import Foundation
import VOCSchema

/// A speech-to-text engine: audio of one channel in, timed words out.
///
/// Every engine of the embedded default and of compose speaks the OpenAI-compatible
/// transcription protocol (``OpenAICompatibleEngine``); an in-process engine would
/// implement this protocol directly.
public protocol TranscriptionEngine: Sendable {
    /// The name the operator chose (`local`, `http`), used in logs and metrics.
    var name: String { get }
    /// Transcribes one channel.
    /// - Throws: ``TranscribeError``; ``TranscribeError/isRetriable`` tells whether
    ///   trying again later can help.
    func transcribe(_ request: EngineRequest) async throws(TranscribeError) -> EngineResult
    /// Releases what the engine holds (connections); no call is made afterwards.
    func shutdown() async
}

extension TranscriptionEngine {
    public func shutdown() async {}
}

/// One channel of audio for an engine.
public struct EngineRequest: Sendable {
    /// A WAV file: 16 kHz, mono, 16-bit PCM.
    public var wav: Data
    /// BCP 47 language, nil to let the engine detect it.
    public var language: String?
    /// The domain vocabulary prompt of the business line.
    public var prompt: String?

    public init(wav: Data, language: String? = nil, prompt: String? = nil) {
        self.wav = wav
        self.language = language
        self.prompt = prompt
    }
}

/// What an engine recognised in one channel; times are relative to the audio it was sent.
public struct EngineResult: Sendable, Equatable {
    public var language: String?
    public var segments: [RecognizedSegment]
    public var engine: TranscriptReady.Engine

    public init(language: String?, segments: [RecognizedSegment], engine: TranscriptReady.Engine) {
        self.language = language
        self.segments = segments
        self.engine = engine
    }
}

/// A stretch of text the engine decoded in one pass, with its words when asked for.
public struct RecognizedSegment: Sendable, Equatable {
    public var startMs: Int
    public var endMs: Int
    public var text: String
    /// Mean log-probability of the segment's tokens (Whisper's `avg_logprob`).
    public var averageLogProbability: Double?
    /// The engine's belief that the segment holds no speech (Whisper's `no_speech_prob`).
    public var noSpeechProbability: Double?
    public var words: [RecognizedWord]

    public init(startMs: Int, endMs: Int, text: String, averageLogProbability: Double? = nil,
                noSpeechProbability: Double? = nil, words: [RecognizedWord] = []) {
        self.startMs = startMs
        self.endMs = endMs
        self.text = text
        self.averageLogProbability = averageLogProbability
        self.noSpeechProbability = noSpeechProbability
        self.words = words
    }

    /// The segment's confidence, 0...1: `exp(avg_logprob)`, or nil when the engine gave none.
    public var confidence: Double? {
        averageLogProbability.map { min(1, max(0, exp($0))) }
    }
}

/// One word with its true times.
public struct RecognizedWord: Sendable, Equatable {
    /// The word as the engine spelled it, with its leading space if any.
    public var text: String
    public var startMs: Int
    public var endMs: Int
    /// 0...1, nil when the engine gave none.
    public var confidence: Double?

    public init(text: String, startMs: Int, endMs: Int, confidence: Double? = nil) {
        self.text = text
        self.startMs = startMs
        self.endMs = endMs
        self.confidence = confidence
    }
}
