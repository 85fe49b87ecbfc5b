import Foundation
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema

/// The stage: `voc.transcript.ready.v1` in, `voc.insight.produced.v1` out (keyed by
/// customer, `ce_id` = the deterministic insight id). Only redacted text leaves.
///
/// With a state repository, what a polled batch of transcripts adds to the corpus and
/// the clusters is recorded in PostgreSQL in one transaction before its insights are
/// published. A transcript recorded before (a redelivery) is analysed again, yielding
/// the same insight id, but not learned twice.
final class AnalyzeHandler: StageHandler, Sendable {
    let analyzer: Analyzer
    let publisher: EventPublisher
    let state: AnalyzeStateRepository?
    private let batch = Mutex(Batch())

    init(analyzer: Analyzer, publisher: EventPublisher, state: AnalyzeStateRepository?) {
        self.analyzer = analyzer
        self.publisher = publisher
        self.state = state
    }

    private struct Batch {
        /// Transcripts whose contribution is recorded, among those asked about.
        var recorded: Set<String> = []
        var asked: Set<String> = []
        var learned: [(transcriptId: String, learning: Analyzer.Learning)] = []
        var learnedIds: Set<String> = []
    }

    func prepareBatch(_ records: [ConsumerRecord]) async throws {
        guard let state else { return }
        let ids = records.compactMap { $0.header("ce_id") }
        let recorded = try await state.recorded(ids)
        batch.withLock { $0 = Batch(recorded: recorded, asked: Set(ids)) }
    }

    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let (transcript, _) = try record.decode(TranscriptReady.self)
        let analysis = analyzer.analyze(AnalysisInput(transcript: transcript))
        let traceparent = TraceContext.child(of: record.header("traceparent"))
        let insight = try publisher.encode(analysis.insight, traceparent: traceparent, key: Array(transcript.customerId.utf8))
        guard let state else {
            analyzer.learn(analysis.learning)
            return [insight]
        }
        let id = transcript.transcriptId
        var recordedBefore = batch.withLock { $0.asked.contains(id) ? $0.recorded.contains(id) : nil }
        if recordedBefore == nil { recordedBefore = try await !state.recorded([id]).isEmpty }
        let fresh = recordedBefore == false && batch.withLock { batch in
            guard batch.learnedIds.insert(id).inserted else { return false }
            batch.learned.append((id, analysis.learning))
            return true
        }
        if fresh { analyzer.learn(analysis.learning) }
        return [insight]
    }

    func finishBatch() async throws {
        guard let state else { return }
        let learned = batch.withLock { $0.learned }
        try await state.record(learned)
        batch.withLock { $0 = Batch() }
    }
}
