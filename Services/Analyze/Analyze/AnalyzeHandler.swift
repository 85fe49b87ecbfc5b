import Foundation
import VOCKafka
import VOCRuntime
import VOCSchema

/// The stage: `voc.transcript.ready.v1` in, `voc.insight.produced.v1` out (keyed by
/// customer, `ce_id` = the deterministic insight id). Only redacted text leaves.
///
/// With a state repository, a transcript's contribution to the corpus and the clusters
/// is recorded in PostgreSQL once and only then learned in memory, so a redelivered
/// transcript yields the same insight id and is not counted twice.
struct AnalyzeHandler: StageHandler {
    let analyzer: Analyzer
    let publisher: EventPublisher
    let state: AnalyzeStateRepository?

    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let (transcript, _) = try record.decode(TranscriptReady.self)
        let analysis = analyzer.analyze(AnalysisInput(transcript: transcript))
        if let state {
            if try await state.record(analysis.learning, insightId: analysis.insight.insightId) {
                analyzer.learn(analysis.learning)
            }
        } else {
            analyzer.learn(analysis.learning)
        }
        let traceparent = TraceContext.child(of: record.header("traceparent"))
        return [try publisher.encode(analysis.insight, traceparent: traceparent, key: Array(transcript.customerId.utf8))]
    }
}
