import Foundation
import VOCSchema

/// What is kept of an engine's output.
public struct UtterancePolicy: Sendable, Equatable {
    /// Utterances whose mean word confidence is below this are dropped (and recorded).
    public var confidenceFloor: Double = 0.4
    /// A segment the engine gives at least this no-speech probability…
    public var noSpeechProbability: Double = 0.6
    /// …while its mean log-probability is below this (Whisper's own rule), or its words'
    /// mean confidence is below ``confidenceFloor``, is not speech. Single words are not
    /// filtered by confidence: the prompt can force the right word at a low probability
    /// ("not" of "not a deposit" came at 0.008).
    public var noSpeechLogProbability: Double = -1.0
    /// A longer pause between two words of one speaker starts a new utterance.
    public var maxPauseMs: Int = 1_000

    public init() {}
}

/// A word in the recording's own time, with who said it.
public struct TimedWord: Sendable, Equatable {
    public var speaker: SpeakerRole
    public var text: String
    public var startMs: Int
    public var endMs: Int
    public var confidence: Double

    public init(speaker: SpeakerRole, text: String, startMs: Int, endMs: Int, confidence: Double) {
        self.speaker = speaker
        self.text = text
        self.startMs = startMs
        self.endMs = endMs
        self.confidence = confidence
    }
}

/// Turns the engine's words of each channel into one time-ordered list of utterances
/// with speaker roles, applying the confidence floor.
public enum UtteranceBuilder {
    public typealias Utterance = TranscriptReady.TranscribedUtterance
    public typealias Dropped = TranscriptReady.DroppedSpeech

    /// The words of one channel in the recording's time.
    /// - Parameters:
    ///   - result: the engine's answer for the channel.
    ///   - speaker: who speaks on the channel.
    ///   - toOriginal: maps a span of the engine's times (in the gated audio) to the
    ///     recording's; nil for a span wholly in silence the gate inserted.
    /// - Returns: the kept words, and the segments and words left out with the reason.
    public static func words(from result: EngineResult, speaker: SpeakerRole, policy: UtterancePolicy,
                             toOriginal: (Int, Int) -> (startMs: Int, endMs: Int)?) -> (words: [TimedWord], dropped: [Dropped]) {
        var words: [TimedWord] = []
        var dropped: [Dropped] = []
        for segment in result.segments {
            let (segmentStart, segmentEnd) = toOriginal(segment.startMs, segment.endMs) ?? toOriginal(segment.startMs, segment.startMs) ?? (0, 0)
            // Whisper's own rule (likely silence and an unsure decoding), and the same
            // suspicion with unsure words: a trailing "it." after the last sentence.
            let wordConfidences = segment.words.compactMap(\.confidence)
            let wordMean = wordConfidences.isEmpty ? nil : wordConfidences.reduce(0, +) / Double(wordConfidences.count)
            if let noSpeech = segment.noSpeechProbability, noSpeech >= policy.noSpeechProbability,
               (segment.averageLogProbability ?? 0) < policy.noSpeechLogProbability || (wordMean ?? 1) < policy.confidenceFloor {
                dropped.append(Dropped(speaker: speaker, startMs: segmentStart, endMs: segmentEnd, text: clean(segment.text),
                                       confidence: segment.confidence, reason: .noSpeech))
                continue
            }
            // An engine without word timestamps: the segment is the unit.
            let units = segment.words.isEmpty
                ? [RecognizedWord(text: segment.text, startMs: segment.startMs, endMs: segment.endMs, confidence: segment.confidence)]
                : segment.words
            var inSilence: [RecognizedWord] = []
            for unit in units {
                guard let (start, end) = toOriginal(unit.startMs, unit.endMs) else {
                    inSilence.append(unit)
                    continue
                }
                let word = TimedWord(speaker: speaker, text: unit.text, startMs: start, endMs: end,
                                     confidence: unit.confidence ?? segment.confidence ?? 1)
                if isNonSpeech(unit.text) {
                    if !clean(unit.text).isEmpty {
                        dropped.append(Dropped(speaker: speaker, startMs: word.startMs, endMs: word.endMs, text: clean(unit.text),
                                               confidence: unit.confidence, reason: .nonSpeech))
                    }
                    continue
                }
                words.append(word)
            }
            if !inSilence.isEmpty {
                let text = clean(inSilence.map(\.text).joined())
                let confidences = inSilence.compactMap(\.confidence)
                dropped.append(Dropped(speaker: speaker, startMs: segmentEnd, endMs: segmentEnd, text: text,
                                       confidence: confidences.isEmpty ? nil : confidences.reduce(0, +) / Double(confidences.count),
                                       reason: .noSpeech))
            }
        }
        return (words, dropped)
    }

    /// Groups one speaker's words into utterances at pauses longer than the policy's,
    /// and drops utterances below the confidence floor.
    public static func utterances(_ words: [TimedWord], policy: UtterancePolicy) -> (utterances: [Utterance], dropped: [Dropped]) {
        var groups: [[TimedWord]] = []
        for word in words.sorted(by: { $0.startMs < $1.startMs }) {
            if let last = groups.last?.last, last.speaker == word.speaker, word.startMs - last.endMs <= policy.maxPauseMs {
                groups[groups.count - 1].append(word)
            } else {
                groups.append([word])
            }
        }
        var utterances: [Utterance] = []
        var dropped: [Dropped] = []
        for group in groups {
            let text = clean(group.map(\.text).joined())
            guard !text.isEmpty else { continue }
            let confidence = group.map(\.confidence).reduce(0, +) / Double(group.count)
            let rounded = (confidence * 1000).rounded() / 1000
            let start = group.first!.startMs, end = group.map(\.endMs).max()!
            if confidence < policy.confidenceFloor {
                dropped.append(Dropped(speaker: group[0].speaker, startMs: start, endMs: end, text: text, confidence: rounded,
                                       reason: .lowConfidence))
            } else {
                utterances.append(Utterance(speaker: group[0].speaker, startMs: start, endMs: end, text: text, confidence: rounded))
            }
        }
        return (utterances, dropped)
    }

    /// The utterances of every channel in one list, ordered by start time.
    public static func merge(_ channels: [[Utterance]]) -> [Utterance] {
        channels.flatMap { $0 }.sorted {
            ($0.startMs ?? 0, $0.endMs ?? 0, $0.speaker.rawValue) < ($1.startMs ?? 0, $1.endMs ?? 0, $1.speaker.rawValue)
        }
    }

    /// Whether a word is a music or noise marker (`♪`, `[Music]`, `(noise)`), or
    /// punctuation alone.
    static func isNonSpeech(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return true }
        if trimmed.unicodeScalars.contains(where: { $0.value >= 0x2669 && $0.value <= 0x266F }) { return true }
        let letters = trimmed.unicodeScalars.filter { CharacterSet.letters.contains($0) || CharacterSet.decimalDigits.contains($0) }
        if letters.isEmpty { return true }
        // Engines write sound events in brackets: [Music], (noise), [BLANK_AUDIO].
        return (trimmed.hasPrefix("[") && trimmed.hasSuffix("]")) || (trimmed.hasPrefix("(") && trimmed.hasSuffix(")"))
    }

    static func clean(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
