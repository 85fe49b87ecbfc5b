import Foundation
import VOCSchema

/// Which channel holds whom.
public enum ChannelLayout: Sendable, Equatable {
    /// One speaker role for everything: mono recordings (speaker unknown).
    case mono
    /// Two channels, each one speaker.
    case stereo(left: SpeakerRole, right: SpeakerRole)

    /// A layout added after this build is read as mono: every channel mixed, speakers
    /// unknown, which loses attribution but no words.
    public init(_ layout: AudioReference.Layout) {
        switch layout {
        case .mono, .unknown: self = .mono
        case .stereoAgentLeft: self = .stereo(left: .agent, right: .customer)
        case .stereoAgentRight: self = .stereo(left: .customer, right: .agent)
        }
    }
}

/// A recording turned into utterances.
public struct Transcription: Sendable, Equatable {
    public var utterances: [TranscriptReady.TranscribedUtterance]
    public var dropped: [TranscriptReady.DroppedSpeech]
    public var language: String?
    public var engine: TranscriptReady.Engine
    public var audioDurationMs: Int
    /// Milliseconds (summed over channels) the gate sent to the engine.
    public var speechMs: Int
    /// Milliseconds (summed over channels) the gate held back as silence or noise.
    public var gatedOutMs: Int
    /// The layout actually used: a stereo file whose channels are identical, or a mono
    /// file announced as stereo, is transcribed as mono.
    public var layout: ChannelLayout
    /// Speech regions the engine skipped in its first pass, sent again on their own.
    public var repairedRegions: Int = 0

    /// The utterances as one text, turns joined by spaces.
    public var text: String { utterances.map(\.text).joined(separator: " ") }
}

/// The whole path of a recording: decode (ffmpeg), split channels, gate, transcribe each
/// channel with word timestamps, apply the confidence floor, merge in time order. The
/// stage and `voc transcribe` both run it.
public struct Transcriber: Sendable {
    public var engine: any TranscriptionEngine
    /// What to record as the engine when no call was made (no speech at all).
    public var engineIdentity: TranscriptReady.Engine
    public var normalizer: AudioNormalizer
    public var gate: SpeechGate
    public var policy: UtterancePolicy
    public var vocabulary: DomainVocabulary
    public var workFolder: String

    public init(engine: any TranscriptionEngine, engineIdentity: TranscriptReady.Engine, normalizer: AudioNormalizer = AudioNormalizer(),
                gate: SpeechGate = SpeechGate(), policy: UtterancePolicy = UtterancePolicy(),
                vocabulary: DomainVocabulary = DomainVocabulary(), workFolder: String = NSTemporaryDirectory()) {
        self.engine = engine
        self.engineIdentity = engineIdentity
        self.normalizer = normalizer
        self.gate = gate
        self.policy = policy
        self.vocabulary = vocabulary
        self.workFolder = workFolder
    }

    /// Releases the engine's connections; call it when no transcription is left to do.
    public func shutdown() async {
        await engine.shutdown()
    }

    /// Transcribes a local recording.
    /// - Parameters:
    ///   - path: the recording (any format ffmpeg reads).
    ///   - layout: which channel holds whom.
    ///   - language: BCP 47 language, nil to let the engine detect it.
    ///   - businessLine: picks the domain vocabulary prompt.
    public func transcribe(path: String, layout: ChannelLayout, language: String?, businessLine: String) async throws(TranscribeError) -> Transcription {
        var audio = try await normalizer.decode(path, keepStereo: layout != .mono, workFolder: workFolder)
        var used = layout
        if audio.channels.count < 2 || audio.channelsAreIdentical {
            if audio.channels.count == 2 { audio.channels = [audio.channels[0]] }
            used = .mono
        }
        let speakers: [SpeakerRole]
        switch used {
        case .mono: speakers = [.unknown]
        case .stereo(let left, let right): speakers = [left, right]
        }
        let prompt = vocabulary.prompt(for: businessLine, language: language)
        let gated = audio.channels.map { gate.gate($0) }

        let outcomes = await withTaskGroup(of: (Int, Result<ChannelOutcome, TranscribeError>).self) { group in
            for (index, channel) in gated.enumerated() where !channel.pieces.isEmpty {
                group.addTask { [self] in
                    (index, await transcribeChannel(channel, speaker: speakers[index], language: language, prompt: prompt))
                }
            }
            var outcomes: [Int: Result<ChannelOutcome, TranscribeError>] = [:]
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes
        }

        var words: [TimedWord] = []
        var dropped: [TranscriptReady.DroppedSpeech] = []
        var detected: String?
        var identity = engineIdentity
        var repaired = 0
        for index in gated.indices {
            guard let outcome = try outcomes[index]?.get() else { continue }
            detected = detected ?? outcome.language
            identity = outcome.engine
            words += outcome.words
            dropped += outcome.dropped
            repaired += outcome.repairedRegions
        }
        var perChannel: [[TranscriptReady.TranscribedUtterance]] = []
        for speaker in speakers {
            let (utterances, droppedUtterances) = UtteranceBuilder.utterances(words.filter { $0.speaker == speaker }, policy: policy)
            perChannel.append(utterances)
            dropped += droppedUtterances
        }
        return Transcription(
            utterances: UtteranceBuilder.merge(perChannel), dropped: dropped.sorted { $0.startMs < $1.startMs },
            language: language ?? detected, engine: identity, audioDurationMs: audio.durationMs,
            speechMs: gated.reduce(0) { $0 + $1.keptMs }, gatedOutMs: gated.reduce(0) { $0 + $1.droppedMs }, layout: used,
            repairedRegions: repaired)
    }

    /// What one channel gave.
    struct ChannelOutcome: Sendable {
        var words: [TimedWord]
        var dropped: [TranscriptReady.DroppedSpeech]
        var language: String?
        var engine: TranscriptReady.Engine
        var repairedRegions: Int
    }

    /// Most regions a channel may send again on their own.
    static let maxRepairs = 16

    /// Transcribes a channel's speech in one call, then sends again, one by one, the
    /// speech regions that came back without a word: Whisper-class engines sometimes end
    /// their decoding at a pause and drop the speech after it.
    func transcribeChannel(_ channel: GatedAudio, speaker: SpeakerRole, language: String?, prompt: String?) async
        -> Result<ChannelOutcome, TranscribeError> {
        let answer: EngineResult
        switch await Self.call(engine, EngineRequest(wav: PCMAudio.wav(channel.samples), language: language, prompt: prompt)) {
        case .success(let value): answer = value
        case .failure(let error): return .failure(error)
        }
        var (words, dropped) = UtteranceBuilder.words(from: answer, speaker: speaker, policy: policy, toOriginal: channel.originalSpan)
        var outcome = ChannelOutcome(words: words, dropped: dropped, language: answer.language, engine: answer.engine, repairedRegions: 0)
        let heard = words.map { ($0.startMs, $0.endMs) } + dropped.map { ($0.startMs, $0.endMs) }
        for index in channel.silentPieces(heard: heard).prefix(Self.maxRepairs) {
            let region = channel.region(index)
            let repair: EngineResult
            switch await Self.call(engine, EngineRequest(wav: PCMAudio.wav(region.samples), language: language ?? answer.language,
                                                         prompt: prompt)) {
            case .success(let value): repair = value
            case .failure(let error): return .failure(error)
            }
            (words, dropped) = UtteranceBuilder.words(from: repair, speaker: speaker, policy: policy, toOriginal: region.originalSpan)
            outcome.words += words
            outcome.dropped += dropped
            outcome.repairedRegions += 1
        }
        return .success(outcome)
    }

    private static func call(_ engine: any TranscriptionEngine, _ request: EngineRequest) async -> Result<EngineResult, TranscribeError> {
        do {
            return .success(try await engine.transcribe(request))
        } catch {
            return .failure(error)
        }
    }
}
