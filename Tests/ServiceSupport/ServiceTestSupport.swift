import Foundation
import Logging
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// One throwaway PostgreSQL cluster per test process, in a temporary folder on a free
/// port; each test gets a database of its own. The cluster is stopped and deleted at exit.
public enum TestPostgres {
    private static let shared = Mutex<LocalPostgres?>(nil)

    /// A new database, as the cluster's superuser: tables go to `public`.
    public static func database(_ name: String) throws -> StoreConfiguration {
        let (_, configuration) = try create(name)
        return configuration
    }

    /// A new database with every ``DatabaseRole``'s schema, as `voc up` and `voc db-roles`
    /// prepare one; ``StoreConfiguration/serving(_:)`` connects as a role.
    public static func provisionedDatabase(_ name: String) throws -> StoreConfiguration {
        let (cluster, configuration) = try create(name)
        // Two tests altering the same roles at once would fail with "tuple concurrently updated".
        try provisioning.withLock { _ in try cluster.provisionRoles(database: configuration.database) }
        return configuration
    }

    private static let provisioning = Mutex(())

    private static func create(_ name: String) throws -> (LocalPostgres, StoreConfiguration) {
        let cluster = try shared.withLock { cluster -> LocalPostgres in
            if let cluster { return cluster }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-test-pg-\(getpid())")
            let started = try LocalPostgres(dataDirectory: folder, port: freePort(), logger: Logger(label: "test.pg"))
            try started.start()
            // Roles belong to the cluster, and the services' migrations grant the operator
            // role its reads, so the roles exist before any test database is migrated.
            try started.provisionRoles(database: "postgres")
            cluster = started
            atexit {
                TestPostgres.shared.withLock { cluster in
                    try? cluster?.stop()
                    if let folder = cluster?.dataDirectory { try? FileManager.default.removeItem(at: folder) }
                }
            }
            return started
        }
        let database = name.lowercased().filter { $0.isLetter || $0.isNumber } + "_\(UInt32.random(in: 0...UInt32.max))"
        try cluster.createDatabase(database)
        var configuration = cluster.configuration
        configuration.database = database
        return (cluster, configuration)
    }

    /// A port nothing listens on right now.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs `body` with a connection pool to `configuration`, stopped afterwards.
@discardableResult
public func withRunningStore<Result: Sendable>(_ configuration: StoreConfiguration,
                                               _ body: (Store) async throws -> Result) async throws -> Result {
    let store = Store(configuration: configuration, logger: testLogger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await store.run() }
        defer { tasks.cancelAll() }
        return try await body(store)
    }
}

/// Polls `condition` until it holds or `seconds` pass.
public func eventually<T>(seconds: Double = 30, _ condition: () async throws -> T?) async throws -> T? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let value = try await condition() { return value }
        try await Task.sleep(for: .milliseconds(100))
    }
    return nil
}

/// Reads records from a topic with a fresh consumer group until `count` arrived or time ran out.
public func readTopic(_ topic: String, bootstrap: String, count: Int, seconds: Double = 30) async throws -> [ConsumerRecord] {
    let consumer = try KafkaConsumer(
        configuration: KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "reader-\(UUID().uuidString)"), topics: [topic],
        logger: Logger(label: "test.reader"))
    var records: [ConsumerRecord] = []
    let deadline = Date().addingTimeInterval(seconds)
    while records.count < count, Date() < deadline {
        records += try await consumer.poll(maxRecords: count - records.count, timeout: .milliseconds(300))
    }
    await consumer.close()
    return records
}

/// The same for a pipeline topic.
public func readTopic(_ topic: Topic, bootstrap: String, count: Int, seconds: Double = 30) async throws -> [ConsumerRecord] {
    try await readTopic(topic.rawValue, bootstrap: bootstrap, count: count, seconds: seconds)
}

public let testLogger: Logger = {
    Observability.bootstrap(logLevel: ProcessInfo.processInfo.environment["VOC_TEST_LOG_LEVEL"] ?? "warning")
    return Logger(label: "test")
}()
