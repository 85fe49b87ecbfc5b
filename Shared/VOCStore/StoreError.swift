import PostgresNIO

/// An error from the store, naming the resource; database details go to
/// `debugDescription` only, so messages shown to callers leak nothing.
public struct StoreError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Code: Sendable {
        case configuration, migration, localCluster, query
    }

    public var code: Code
    public var message: String
    public var detail: String
    public var isRetriable: Bool

    public init(code: Code, message: String, detail: String = "", isRetriable: Bool = false) {
        self.code = code
        self.message = message
        self.detail = detail
        self.isRetriable = isRetriable
    }

    public var description: String { "Store: \(message)" }
    public var debugDescription: String { detail.isEmpty ? description : "\(description): \(detail)" }
}

extension StoreError {
    /// `error` in the server's own words when it came from PostgreSQL, for an operator's
    /// terminal: the driver's description is deliberately generic so that logs never carry
    /// a statement, which leaves a command that fails on a refused grant saying nothing.
    /// Other errors come back unchanged.
    public static func explaining(_ error: any Error, doing what: String) -> any Error {
        guard let failure = error as? PSQLError else { return error }
        if let reason = failure.serverInfo?[.message] {
            let state = failure.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return StoreError(code: .query, message: "\(what) failed: \(reason)\(state)", isRetriable: false)
        }
        let cause = failure.underlying.map { "\($0)" } ?? "\(failure.code)"
        return StoreError(code: .query, message: "\(what) failed: \(cause)", isRetriable: true)
    }
}
