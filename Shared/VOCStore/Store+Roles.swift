import Foundation
import Logging
import PostgresNIO

extension Store {
    /// Creates or updates every ``DatabaseRole`` and its schema, in one transaction. The
    /// store must be connected as a superuser to the platform's database.
    /// - Parameter passwords: Each role's login password (see ``DatabaseRole/provisioning(passwords:)``).
    /// - Throws: ``StoreError`` `.query` with the server's reason; the statement is left out
    ///   of the error because it may hold a password.
    public func provisionRoles(passwords: [DatabaseRole: String] = [:]) async throws {
        do {
            try await client.withTransaction(logger: logger) { connection in
                for statement in DatabaseRole.provisioning(passwords: passwords) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
        } catch {
            throw StoreError.explaining(error, doing: "creating the database roles")
        }
    }
}

extension LocalPostgres {
    /// Creates or updates every ``DatabaseRole`` and its schema in `database`, without
    /// passwords: the local cluster trusts loopback connections, and the roles still keep
    /// each service to its own schema.
    /// - Throws: ``StoreError`` `.localCluster` with psql's words when a statement fails.
    public func provisionRoles(database: String) throws(StoreError) {
        // One -c string runs as one transaction, like the store's.
        try psql(database: database, DatabaseRole.provisioning().joined(separator: ";\n"))
    }
}
