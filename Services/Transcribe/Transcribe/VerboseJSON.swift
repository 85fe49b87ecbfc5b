import Foundation
import VOCSchema

/// The `verbose_json` answer of `POST /v1/audio/transcriptions`, as OpenAI, whisper.cpp
/// server, faster-whisper servers and vLLM send it. Fields one engine leaves out are
/// optional; unknown fields are ignored.
struct VerboseTranscription: Decodable {
    struct Word: Decodable {
        var word: String
        var start: Double
        var end: Double
        /// faster-whisper and whisper.cpp send it; OpenAI does not.
        var probability: Double?
    }

    struct Segment: Decodable {
        var start: Double
        var end: Double
        var text: String
        var avg_logprob: Double?
        var no_speech_prob: Double?
        var words: [Word]?
    }

    /// Our local server's description of itself (not part of the protocol).
    struct EngineInfo: Decodable {
        var name: String?
        var version: String?
        var model: String?
        var compute_type: String?
    }

    var text: String?
    var language: String?
    var duration: Double?
    var segments: [Segment]?
    var words: [Word]?
    var x_engine: EngineInfo?

    /// Parses an answer body.
    /// - Parameters:
    ///   - body: the response body.
    ///   - fallback: the engine name and version to report when the server does not say.
    /// - Throws: ``TranscribeError/Code/badResponse`` when the body is not such JSON.
    static func parse(_ body: Data, fallback: TranscriptReady.Engine) throws(TranscribeError) -> EngineResult {
        let decoded: VerboseTranscription
        do {
            decoded = try JSONDecoder().decode(VerboseTranscription.self, from: body)
        } catch {
            let prefix = String(decoding: body.prefix(200), as: UTF8.self)
            throw TranscribeError(.badResponse, "engine answer is not verbose_json (\(error)): \(prefix)")
        }
        return decoded.result(fallback: fallback)
    }

    func result(fallback: TranscriptReady.Engine) -> EngineResult {
        var segments = (self.segments ?? []).map { segment in
            RecognizedSegment(
                startMs: Self.ms(segment.start), endMs: Self.ms(segment.end), text: segment.text,
                averageLogProbability: segment.avg_logprob, noSpeechProbability: segment.no_speech_prob,
                words: (segment.words ?? []).map(Self.word))
        }
        // OpenAI puts words at the top level only: hand each to the segment it falls in.
        let topLevel = (words ?? []).map(Self.word)
        if !topLevel.isEmpty && segments.allSatisfy({ $0.words.isEmpty }) {
            if segments.isEmpty {
                let text = self.text ?? topLevel.map(\.text).joined()
                segments = [RecognizedSegment(startMs: topLevel.first!.startMs, endMs: topLevel.last!.endMs, text: text,
                                              words: topLevel)]
            } else {
                for word in topLevel {
                    let middle = (word.startMs + word.endMs) / 2
                    let index = segments.firstIndex { middle < $0.endMs } ?? segments.count - 1
                    segments[index].words.append(word)
                }
            }
        }
        if segments.isEmpty, let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            // A plain `json` answer: one untimed segment over the whole audio.
            segments = [RecognizedSegment(startMs: 0, endMs: Self.ms(duration ?? 0), text: text)]
        }
        var engine = fallback
        if let info = x_engine, let name = info.name, !name.isEmpty {
            let details = [info.version, info.model, info.compute_type].compactMap { $0 }.filter { !$0.isEmpty }
            engine = TranscriptReady.Engine(name: name, version: details.isEmpty ? fallback.version : details.joined(separator: "/"))
        }
        return EngineResult(language: language.map(LanguageName.code), segments: segments, engine: engine)
    }

    private static func word(_ word: Word) -> RecognizedWord {
        RecognizedWord(text: word.word, startMs: ms(word.start), endMs: ms(word.end),
                       confidence: word.probability.map { min(1, max(0, $0)) })
    }

    private static func ms(_ seconds: Double) -> Int {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return Int((seconds * 1000).rounded())
    }
}

/// OpenAI answers `"language": "english"`; faster-whisper answers `"en"`. Events carry
/// BCP 47 tags.
enum LanguageName {
    static let codes: [String: String] = [
        "english": "en", "chinese": "zh", "mandarin": "zh", "cantonese": "yue", "japanese": "ja", "korean": "ko",
        "french": "fr", "german": "de", "spanish": "es", "portuguese": "pt", "russian": "ru", "italian": "it",
    ]

    static func code(_ name: String) -> String {
        let lowered = name.lowercased()
        return codes[lowered] ?? lowered
    }
}
