import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// `voc replay`: sends dead letters back to the topic they came from, with their original
/// key, headers and bytes, once each (a ledger in PostgreSQL remembers what was replayed).
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send dead letters back to their original topic, once each.",
        discussion: """
            Reads voc.deadletter.v1 from the beginning up to its current end. Every dead letter \
            that matches the filters and was not replayed before is produced again to its \
            original topic (original key, headers and bytes, plus the header voc-replayed-from naming the dead letter); \
            once the broker acknowledged it, its id goes into the ledger (applied_events, \
            consumer voc.replay) so a second run skips it.
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Only dead letters of this stage (transcribe, analyze, projector, ...).")
    var stage: String?

    @Option(help: "Only records that came from this topic (short forms as for tail).")
    var topic: String?

    @Option(help: "Only this reason: invalid or failed.")
    var reason: String?

    @Option(help: "Only dead letters of this key (the customer id for most topics).")
    var key: String?

    @Option(help: "Only dead letters from this time on: ISO 8601 (2026-12-01T00:00:00Z) or an age such as 30m, 6h, 2d.")
    var since: String?

    @Option(help: "Replay at most this many.")
    var limit: Int?

    @Flag(help: "List what would be replayed; send nothing, record nothing.")
    var dryRun = false

    @Option(help: "The ledger database (default: postgres.url of the configuration).")
    var postgresURL: String?

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-replay")
        let filter = try DeadLetterFilter(stage: stage, topic: topic.map(Tail.resolve), reason: reason, key: key,
                                          since: since.map { try DeadLetterFilter.parseSince($0, now: Date()) })
        let connection = try await broker.connection()
        try await withStore(postgresURL: postgresURL, role: .operator, logger: logger) { store in
            try await store.migrate(component: "replay", [])
            let replayer = DeadLetterReplayer(connection: connection, store: store, logger: logger)
            let summary = try await replayer.replay(filter: filter, limit: limit, dryRun: dryRun) { progress in
                FileHandle.standardError.write(Data("\r\(progress.bar)".utf8))
            }
            FileHandle.standardError.write(Data("\n".utf8))
            print(summary.description(dryRun: dryRun))
        }
    }
}
