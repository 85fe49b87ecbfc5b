import ArgumentParser
import Foundation
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc verify`: reconciles a run. Every accepted interaction must end exactly once in
/// each stage's output or exactly once in the dead-letter topic; prints per stage what
/// went in, came out, was dead-lettered, lost or doubled, with the ids of the last two.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reconcile the topics and read models: per stage in, out, dead-lettered, lost, doubled.",
        discussion: """
            Reads every pipeline topic from the beginning to its current end, and the timeline \
            and route's applied insights from PostgreSQL. A redelivered event (the same id \
            again) is not doubled; two different outputs for one input are. Exits 1 when \
            anything is lost or doubled. Run it once the pipeline is idle (voc lag shows 0).
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(help: "The read-model database (default: postgres.url of the configuration).")
    var postgresURL: String?

    @Option(help: "Lost or doubled ids shown per stage.")
    var show = 20

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-verify")
        let reader = TopicReader(connection: try await broker.connection(), logger: logger)
        let reconciliation = try await withStore(postgresURL: postgresURL, role: .operator, logger: logger) { store in
            try await Self.reconcile(reader: reader, store: store)
        }
        print(reconciliation.report(showing: show))
        if !reconciliation.clean { throw ExitCode.failure }
    }

    /// Reads the topics from their beginning to their current ends, then the read models,
    /// and matches every stage's inputs to its outputs and dead letters.
    static func reconcile(reader: TopicReader, store: Store) async throws -> Reconciliation {
        var evidence = VerifyEvidence()
        let decoder = JSONDecoder()
        for topic in VerifyEvidence.topics {
            let gaps = try await reader.each(topic.rawValue) { evidence.add($0, decoder: decoder) }
            evidence.gaps += gaps.map { "\($0.topic) partition \($0.partition) begins at offset \($0.start): older records are gone" }
        }
        return try await reconcile(evidence, store: store)
    }

    /// Matches what the topics held (read back, or followed while a run produced them) to
    /// the read models.
    static func reconcile(_ evidence: VerifyEvidence, store: Store) async throws -> Reconciliation {
        // Each table in the schema of the service that owns it (DatabaseRole); the operator
        // role is granted these two reads and no others.
        let timeline = try await store.rows("SELECT entry_id FROM voc_projector.timeline_entries WHERE interaction_seen", as: String.self)
        let routed = try await store.rows(
            "SELECT event_id FROM voc_route.applied_events WHERE consumer = 'route.insights'", as: String.self)
        var dead: [String: Set<String>] = [:]
        for letter in evidence.deadLetters {
            guard let id = Self.sourceId(of: letter) else { continue }
            dead[Self.stageName(letter.stage), default: []].insert(id)
        }
        return Reconciliation(stages: [
            .init(name: "transcribe", input: evidence.interactions, outputs: evidence.transcriptsOf, deadLettered: dead["transcribe"] ?? []),
            .init(name: "analyze", input: evidence.transcriptIds, outputs: evidence.insightsOf, deadLettered: dead["analyze"] ?? []),
            .init(name: "projector", input: evidence.interactions, outputs: Dictionary(timeline.map { ($0, [$0]) }) { $0.union($1) },
                  deadLettered: dead["projector"] ?? []),
            .init(name: "route", input: evidence.insightIds, outputs: Dictionary(routed.map { ($0, [$0]) }) { $0.union($1) },
                  deadLettered: dead["route"] ?? []),
        ], gaps: evidence.gaps)
    }

    /// The stage a dead letter names, without its sub-stage (`projector-timeline` → `projector`).
    static func stageName(_ stage: String) -> String {
        String(stage.split(separator: "-").first ?? Substring(stage))
    }

    /// The id the failed record carried as its stage's input: the interaction of an
    /// interaction, the transcript of a transcript, the insight of an insight.
    static func sourceId(of letter: DeadLetter) -> String? {
        guard let value = letter.originalValue,
              let object = try? JSONSerialization.jsonObject(with: Data(value)) as? [String: Any] else { return nil }
        switch letter.originalTopic {
        case Topic.interactionReceived.rawValue: return object["interactionId"] as? String
        case Topic.transcriptReady.rawValue: return object["transcriptId"] as? String
        case Topic.insightProduced.rawValue: return object["insightId"] as? String
        default: return nil
        }
    }
}

/// Reads a pipeline topic from the beginning to the end it has when reading starts.
struct TopicReader {
    let connection: KafkaConnection
    let logger: Logger

    func records(_ topic: String) async throws -> [ConsumerRecord] {
        var records: [ConsumerRecord] = []
        try await each(topic) { records.append($0) }
        return records
    }

    /// The partitions of `topics` that hold records, with their ends (next offsets); topics
    /// that do not exist are left out.
    func ends(of topics: Set<String>) async throws -> [PartitionLag] {
        let admin = try connection.admin(logger: logger)
        let infos = try await admin.listTopics().filter { topics.contains($0.name) }
        guard !infos.isEmpty else { return [] }
        return try await KafkaAdmin.lag(group: "voc-verify-probe", topics: infos, bootstrap: connection.bootstrap,
                                        security: connection.security, properties: connection.properties, logger: logger)
            .filter { $0.end > $0.start }
    }

    /// Hands every record to `body` as it is read, so a long topic is never held whole.
    /// - Returns: The partitions that no longer begin at offset 0: retention deleted their
    ///   oldest records before they could be read.
    @discardableResult
    func each(_ topic: String, _ body: (ConsumerRecord) -> Void) async throws -> [PartitionLag] {
        let ends = try await ends(of: [topic])
        var remaining = Dictionary(uniqueKeysWithValues: ends.map { ($0.partition, $0.end) })
        guard !remaining.isEmpty else { return [] }
        var configuration = connection.consumer(group: "voc-read-\(UUID().uuidString.prefix(8))", clientID: "voc-read")
        configuration.autoOffsetReset = .earliest
        let consumer = try KafkaConsumer(configuration: configuration, topics: [topic], logger: logger)
        while !remaining.isEmpty {
            for record in try await consumer.poll(maxRecords: 1_000, timeout: .milliseconds(500)) {
                body(record)
                if let end = remaining[record.partition], record.offset + 1 >= end { remaining[record.partition] = nil }
            }
        }
        await consumer.close()
        return ends.filter { $0.start > 0 }
    }
}

/// The ids `voc verify` matches, gathered record by record from the pipeline topics.
struct VerifyEvidence: TopicObservation {
    static let topics: [Topic] = [.interactionReceived, .transcriptReady, .insightProduced, .deadLetter]

    var interactions: Set<String> = []
    /// Interaction id → the transcripts made of it.
    var transcriptsOf: [String: Set<String>] = [:]
    var transcriptIds: Set<String> = []
    /// Transcript id → the insights made of it.
    var insightsOf: [String: Set<String>] = [:]
    var insightIds: Set<String> = []
    var deadLetters: [DeadLetter] = []
    var gaps: [String] = []

    init() {}

    mutating func add(_ record: ConsumerRecord, decoder: JSONDecoder) {
        if record.topic == Topic.deadLetter.rawValue {
            if let letter = try? record.decode(DeadLetter.self).0 { deadLetters.append(letter) }
            return
        }
        // Ids only, read from the JSON as it is: a payload the current build could not
        // decode still counts.
        guard let object = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any] else { return }
        switch record.topic {
        case Topic.interactionReceived.rawValue:
            if let id = object["interactionId"] as? String { interactions.insert(id) }
        case Topic.transcriptReady.rawValue:
            guard let id = object["transcriptId"] as? String, let source = object["interactionId"] as? String else { return }
            transcriptsOf[source, default: []].insert(id)
            transcriptIds.insert(id)
        case Topic.insightProduced.rawValue:
            guard let id = object["insightId"] as? String, let source = object["transcriptId"] as? String else { return }
            insightsOf[source, default: []].insert(id)
            insightIds.insert(id)
        default:
            return
        }
    }
}
