import ArgumentParser
import Foundation
import Logging
import Projector
import VOCRuntime
import VOCStore

/// `voc rebuild`: empties the projector's read models and projects every topic again.
struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drop and re-project the read models (customer 360, timeline, ticket queue, trends, clusters) from the topics.",
        discussion: """
            Reads every topic the projector reads from its beginning to its current end, with a progress \
            bar. Stop the projector first (voc-projector, or voc up): a read during the rebuild sees \
            half-built models. Records that break their topic's contract are counted and skipped \
            (the live stage dead-lettered them).
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(help: "The read-model database (default: postgres.url of the configuration).")
    var postgresURL: String?

    @Option(help: "Records per transaction.")
    var batch: Int = 2_000

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-rebuild")
        let connection = try await broker.connection()
        let zone = try ProjectorConfiguration(config: try await Settings.reader()).timeZone
        let start = ContinuousClock.now
        let outcome = try await withStore(postgresURL: postgresURL, role: .projector, logger: logger) { store in
            try await store.migrate(component: ProjectorApp.component, ProjectorApp.migrations())
            let rebuild = ReadModelRebuild(writer: ReadModelWriter(store: store, timeZone: zone, logger: logger), logger: logger)
            return try await rebuild.run(bootstrap: connection.bootstrap, security: connection.security,
                                         properties: connection.properties, batchSize: max(1, batch)) { progress in
                FileHandle.standardError.write(Data("\r\(Self.bar(progress))".utf8))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print(String(format: "rebuilt: %d records read in %.1f s (%.0f/s), %d invalid skipped, %d refused by the database",
                     outcome.read, seconds, Double(outcome.read) / max(seconds, 0.001), outcome.invalid, outcome.failed))
        if outcome.failed > 0 { throw ExitCode.failure }
    }

    static func bar(_ progress: ReadModelRebuild.Progress) -> String {
        let width = 30
        let done = progress.total == 0 ? width : min(width, progress.read * width / progress.total)
        return "[" + String(repeating: "#", count: done) + String(repeating: ".", count: width - done) + "] \(progress.read)/\(progress.total) records"
    }
}
