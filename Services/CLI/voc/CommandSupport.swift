import Configuration
import Foundation
import Logging
import VOCRuntime
import VOCStore

/// Runs `body` with the pool of the database named by `--postgres-url`, else by
/// `postgres.url` of the configuration, and stops the pool afterwards.
/// - Parameter role: Who the command connects as when the URL names no user.
func withStore<Result: Sendable>(postgresURL: String?, role: DatabaseRole, logger: Logger,
                                 _ body: (Store) async throws -> Result) async throws -> Result {
    var settings: [AbsoluteConfigKey: ConfigValue] = [:]
    if let postgresURL { settings["postgres.url"] = .init(.string(postgresURL), isSecret: true) }
    let store = Store(configuration: try StoreConfiguration(config: try await Settings.reader(overrides: settings), role: role),
                      logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await store.run() }
        defer { tasks.cancelAll() }
        do {
            return try await body(store)
        } catch {
            throw StoreError.explaining(error, doing: "PostgreSQL at \(store.configuration.redactedURL)")
        }
    }
}

/// One line of a table printed by a command: each column padded to its width, no
/// trailing blanks.
func tableLine(_ columns: [String], widths: [Int]) -> String {
    var line = zip(columns, widths).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }.joined(separator: " ")
    while line.last == " " { line.removeLast() }
    return line
}

extension Duration {
    /// The duration in seconds, for printed figures.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
