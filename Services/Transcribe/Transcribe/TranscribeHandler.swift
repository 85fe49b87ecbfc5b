import Foundation
import Logging
import Metrics
import VOCKafka
import VOCRuntime
import VOCSchema

/// `voc.interaction.received.v1` → `voc.transcript.ready.v1`: text passes through,
/// recordings are fetched by claim-check, verified and transcribed.
///
/// Permanent failures (a claim-check whose bytes differ, audio ffmpeg cannot decode, an
/// engine that refuses the audio) are thrown as ``StageError/invalid(_:)`` and
/// dead-lettered at once; an engine that is down (refused connection, circuit open) is
/// ``StageError/unavailable(_:)``: the recording waits for it; the rest (a slow or
/// failing engine) are retried by the stage loop with backoff, then dead-lettered with
/// the reason.
public struct TranscribeHandler: StageHandler {
    public static let passthroughEngine = TranscriptReady.Engine(name: "passthrough", version: "1")

    let publisher: EventPublisher
    let transcriber: Transcriber
    let audio: any AudioSource
    let configuration: TranscribeConfiguration
    /// The configured engine's name; with the interaction id it fixes the transcript id.
    let engineName: String
    let logger: Logger
    private let transcribed = Counter(label: "voc_transcribe_recordings_total")
    private let passedThrough = Counter(label: "voc_transcribe_passthrough_total")
    private let audioMs = Counter(label: "voc_transcribe_audio_ms_total")
    private let gatedOut = Counter(label: "voc_transcribe_gated_out_ms_total")
    private let droppedCounter = Counter(label: "voc_transcribe_dropped_total")
    private let processing = Timer(label: "voc_transcribe_processing_seconds", preferredDisplayUnit: .seconds)

    public init(publisher: EventPublisher, transcriber: Transcriber, audio: any AudioSource, configuration: TranscribeConfiguration,
                engineName: String, logger: Logger) {
        self.publisher = publisher
        self.transcriber = transcriber
        self.audio = audio
        self.configuration = configuration
        self.engineName = engineName
        self.logger = logger
    }

    public func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let (interaction, _) = try record.decode(InteractionReceived.self)
        let event: TranscriptReady
        if let reference = interaction.audio {
            do {
                event = try await transcribe(interaction, reference)
            } catch let error as TranscribeError where [.engineUnavailable, .circuitOpen].contains(error.code) {
                // The engine is down or restarting: the recording waits for it.
                throw StageError.unavailable(error.description)
            }
        } else {
            event = Self.passthrough(interaction)
            passedThrough.increment()
        }
        try event.validate()
        return [try publisher.encode(event, traceparent: TraceContext.child(of: record.header("traceparent")))]
    }

    /// A text channel as a transcript: its turns as they are, or its text as one
    /// customer utterance, confidence 1.
    public static func passthrough(_ interaction: InteractionReceived, producedAt: Date = Date()) -> TranscriptReady {
        let utterances: [TranscriptReady.TranscribedUtterance]
        if let turns = interaction.utterances {
            utterances = turns.map {
                TranscriptReady.TranscribedUtterance(speaker: $0.speaker, startMs: $0.startMs, endMs: $0.endMs, text: $0.text, confidence: 1)
            }
        } else {
            utterances = [TranscriptReady.TranscribedUtterance(speaker: .customer, text: interaction.text ?? "", confidence: 1)]
        }
        var transcript = TranscriptReady(
            transcriptId: transcriptID(interaction.interactionId, engine: passthroughEngine.name),
            interactionId: interaction.interactionId, customerId: interaction.customerId, channel: interaction.channel,
            businessLine: interaction.businessLine, occurredAt: interaction.occurredAt, language: interaction.language,
            utterances: utterances, engine: passthroughEngine, audioDurationMs: nil, producedAt: producedAt)
        transcript.context = interaction.context
        return transcript
    }

    /// Derived from the interaction and the engine, so re-transcribing with the same
    /// engine yields the same id.
    public static func transcriptID(_ interactionId: String, engine: String) -> String {
        StableID.make("transcript", interactionId, engine)
    }

    private func transcribe(_ interaction: InteractionReceived, _ reference: AudioReference) async throws -> TranscriptReady {
        let started = ContinuousClock.now
        let folder = configuration.workDirectory + "/voc-transcribe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let layout = configuration.layout(for: interaction)
        let language = interaction.language ?? (configuration.language.isEmpty ? nil : configuration.language)
        let transcription: Transcription
        do {
            let local = folder + "/recording"
            try await audio.fetch(reference, to: local)
            var transcriber = self.transcriber
            transcriber.workFolder = folder
            transcription = try await transcriber.transcribe(path: local, layout: ChannelLayout(layout), language: language,
                                                             businessLine: interaction.businessLine)
        } catch {
            logger.warning("transcription failed", metadata: [
                "interactionId": "\(interaction.interactionId)", "code": "\(error.code.rawValue)", LogKey.error: "\(error.message)",
            ])
            if error.isRetriable { throw error }
            throw StageError.invalid(error.description)
        }
        transcribed.increment()
        audioMs.increment(by: transcription.audioDurationMs)
        gatedOut.increment(by: transcription.gatedOutMs)
        droppedCounter.increment(by: transcription.dropped.count)
        processing.recordInterval(since: started)
        logger.info("recording transcribed", metadata: [
            "interactionId": "\(interaction.interactionId)", "audioMs": "\(transcription.audioDurationMs)",
            "speechMs": "\(transcription.speechMs)", "utterances": "\(transcription.utterances.count)",
            "dropped": "\(transcription.dropped.count)", "repairedRegions": "\(transcription.repairedRegions)",
        ])
        var transcript = TranscriptReady(
            transcriptId: Self.transcriptID(interaction.interactionId, engine: engineName),
            interactionId: interaction.interactionId, customerId: interaction.customerId, channel: interaction.channel,
            businessLine: interaction.businessLine, occurredAt: interaction.occurredAt, language: transcription.language,
            utterances: transcription.utterances, engine: transcription.engine, audioDurationMs: transcription.audioDurationMs,
            producedAt: Date(), dropped: transcription.dropped)
        transcript.context = interaction.context
        return transcript
    }
}

extension Timer {
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
