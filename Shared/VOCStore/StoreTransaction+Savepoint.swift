import PostgresNIO

extension StoreTransaction {
    /// Runs `body` inside a savepoint, so that a failure of its own statements undoes only
    /// what it did and the transaction goes on.
    ///
    /// - Parameters:
    ///   - name: the savepoint's name, a plain SQL identifier.
    ///   - body: the statements to run.
    /// - Returns: `nil` when `body` succeeded (the savepoint is released), or the error it
    ///   threw after rolling back to the savepoint.
    /// - Throws: an error that concerns the connection or the whole transaction (see
    ///   ``StoreError/isTransient(_:)``), or a failure to roll back: the caller cannot go on
    ///   with this transaction and should retry it.
    public func savepoint(_ name: String, _ body: () async throws -> Void) async throws -> (any Error)? {
        try await execute(SQL.unsafe("SAVEPOINT \(name)"))
        do {
            try await body()
        } catch {
            if StoreError.isTransient(error) { throw error }
            try await execute(SQL.unsafe("ROLLBACK TO SAVEPOINT \(name)"))
            try await execute(SQL.unsafe("RELEASE SAVEPOINT \(name)"))
            return error
        }
        try await execute(SQL.unsafe("RELEASE SAVEPOINT \(name)"))
        return nil
    }
}

extension StoreError {
    /// Whether `error` says nothing about the statement that met it: the connection went
    /// away, the server is shutting down or short of resources, the task was cancelled,
    /// or the transaction lost a serialization conflict or a deadlock. Running the same
    /// statements again later can succeed. Any other error (a constraint, a bad value, an
    /// exception raised by the database or by the code that built the statements) would
    /// fail the same way again.
    public static func isTransient(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? StoreError { return error.isRetriable }
        if let error = error as? PostgresTransactionError {
            // BEGIN, ROLLBACK or COMMIT failing says nothing about the statements in between.
            if error.beginError != nil || error.rollbackError != nil || error.commitError != nil { return true }
            return error.closureError.map(isTransient) ?? true
        }
        guard let error = error as? PSQLError else { return false }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return true }
        // 08 connection, 40 transaction rollback, 53 insufficient resources,
        // 57 operator intervention, 58 system error; 55P03 lock not available.
        return ["08", "40", "53", "57", "58"].contains(String(state.prefix(2))) || state == "55P03"
    }
}
