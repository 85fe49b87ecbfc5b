import Foundation

/// Where the PostgreSQL server is and who to be there.
public struct StoreConfiguration: Sendable, Equatable {
    /// `postgres.url` when nothing is configured: the cluster `voc up` runs. It names no
    /// user, so each service connects as its own ``DatabaseRole``.
    public static let defaultURL = "postgres://127.0.0.1:55432/voc"

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// Connections the pool may open.
    public var maxConnections: Int

    public init(host: String = "127.0.0.1", port: Int = 5432, username: String = "voc", password: String? = nil,
                database: String = "voc", maxConnections: Int = 10) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.maxConnections = maxConnections
    }

    /// Parses `postgres://user:password@host:port/database`.
    /// - Parameter role: Who to be when the URL names no user; without one, `voc`.
    /// - Throws: ``StoreError`` naming what is wrong with the URL.
    public init(url: String, role: DatabaseRole? = nil, maxConnections: Int = 10) throws(StoreError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw StoreError(code: .configuration, message: "postgres.url must look like postgres://user:password@host:5432/database")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.init(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432,
            username: components.user ?? role?.rawValue ?? "voc", password: components.password,
            database: database.isEmpty ? "voc" : database, maxConnections: maxConnections
        )
    }

    public var url: String {
        let credentials = password.map { "\(username):\($0)" } ?? username
        return "postgres://\(credentials)@\(host):\(port)/\(database)"
    }

    /// The same server and database as `role`, which has no password (trusted connections).
    public func serving(_ role: DatabaseRole) -> StoreConfiguration {
        var configuration = self
        configuration.username = role.rawValue
        configuration.password = nil
        return configuration
    }

    /// The URL without user and password: given to services, each adds its own role.
    public var serverURL: String {
        "postgres://\(host):\(port)/\(database)"
    }

    /// The URL with the password hidden, for logs.
    public var redactedURL: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)"
    }
}
