import Logging
import PostgresNIO

/// What runs statements: the store's pool, or one transaction of it.
public protocol SQLSession: Sendable {
    /// Runs a statement and decodes every row it returns into `types`, column by column.
    func rows<each Column: SQLColumn>(_ sql: SQL, as types: repeat (each Column).Type) async throws -> [(repeat each Column)]

    /// Runs a statement and counts the rows it returns (`… RETURNING 1`).
    @discardableResult
    func execute(_ sql: SQL) async throws -> Int
}

/// One transaction, handed to the body of ``Store/transaction(_:)`` and
/// ``Store/applyOnce(consumer:eventId:_:)``; it must not outlive the body.
public struct StoreTransaction: SQLSession {
    let connection: PostgresConnection
    let logger: Logger

    public func rows<each Column: SQLColumn>(_ sql: SQL, as types: repeat (each Column).Type) async throws -> [(repeat each Column)] {
        try await collect(connection.query(sql.query, logger: logger), as: repeat each types)
    }

    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await count(connection.query(sql.query, logger: logger))
    }
}

extension Store: SQLSession {
    public func rows<each Column: SQLColumn>(_ sql: SQL, as types: repeat (each Column).Type) async throws -> [(repeat each Column)] {
        try await collect(client.query(sql.query, logger: logger), as: repeat each types)
    }

    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await count(client.query(sql.query, logger: logger))
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<Result: Sendable>(_ body: (StoreTransaction) async throws -> Result) async throws -> Result {
        try await client.withTransaction(logger: logger) { connection in
            try await body(StoreTransaction(connection: connection, logger: logger))
        }
    }

    /// Whether the server answers a trivial query now (for `/readyz`).
    public func isReachable() async -> Bool {
        (try? await execute("SELECT 1")) != nil
    }
}

private func collect<each Column: SQLColumn>(_ sequence: PostgresRowSequence, as types: repeat (each Column).Type) async throws -> [(repeat each Column)] {
    var result: [(repeat each Column)] = []
    for try await row in sequence {
        result.append(try row.decode((repeat each Column).self))
    }
    return result
}

private func count(_ sequence: PostgresRowSequence) async throws -> Int {
    var rows = 0
    for try await _ in sequence { rows += 1 }
    return rows
}
