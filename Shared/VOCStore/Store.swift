import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The PostgreSQL client every service shares: a connection pool that runs as a
/// `Service`, versioned migrations, and apply-once transactions.
public final class Store: Service, Sendable {
    let client: PostgresClient
    public let configuration: StoreConfiguration
    public let logger: Logger

    public init(configuration: StoreConfiguration, logger: Logger) {
        var config = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable)
        config.options.maximumConnections = configuration.maxConnections
        config.options.connectTimeout = .seconds(5)
        self.client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the connection pool until the task is cancelled (graceful shutdown).
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            await client.run()
        } onCancelOrGracefulShutdown: {}
    }

    /// Runs `body` in a transaction that first records `eventId` for `consumer`, so the
    /// change and the record of having made it commit or roll back together.
    ///
    /// - Returns: `true` if the body ran, `false` if the event had been applied before.
    @discardableResult
    public func applyOnce(
        consumer: String, eventId: String,
        _ body: (StoreTransaction) async throws -> Void
    ) async throws -> Bool {
        try await transaction { transaction in
            let inserted = try await transaction.execute(
                """
                INSERT INTO applied_events (consumer, event_id) VALUES (\(consumer), \(eventId))
                ON CONFLICT DO NOTHING RETURNING 1
                """)
            guard inserted > 0 else { return false }
            try await body(transaction)
            return true
        }
    }
}
