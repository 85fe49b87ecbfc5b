import Foundation
import Logging
import VOCKafka
import VOCSchema
import VOCStore

/// PostgreSQL in a data folder and the embedded broker with the pipeline's topics: what
/// `voc up` and the benchmarks run the services against.
struct DevStack {
    let postgres: LocalPostgres
    let broker: EmbeddedBroker
    /// The `voc` database on the local server, as its superuser; each service connects
    /// as its own role (``StoreConfiguration/serving(_:)``).
    let store: StoreConfiguration

    /// Starts (or reuses) the cluster in `folder/pg` and a broker of `brokers` brokers.
    /// - Throws: ``StoreError`` when PostgreSQL cannot start, ``KafkaError`` when the broker cannot.
    /// - Parameter partitions: Partitions of each pipeline topic (nil: each topic's default).
    static func start(in folder: URL, postgresPort: Int, brokers: Int, partitions: Int? = nil, logger: Logger) throws -> DevStack {
        let postgres = try LocalPostgres(dataDirectory: folder.appendingPathComponent("pg"), port: postgresPort, logger: logger)
        try postgres.start()
        do {
            try postgres.createDatabase("voc")
            try postgres.provisionRoles(database: "voc")
            let broker = try EmbeddedBroker(brokers: brokers, logger: logger)
            try broker.createPipelineTopics(partitions: partitions)
            var store = postgres.configuration
            store.database = "voc"
            return DevStack(postgres: postgres, broker: broker, store: store)
        } catch {
            try? postgres.stop()
            throw error
        }
    }

    /// Stops PostgreSQL; the broker goes with the last reference to it.
    func stop() {
        try? postgres.stop()
    }
}
