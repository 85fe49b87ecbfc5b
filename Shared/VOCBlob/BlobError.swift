/// Why a blob-store operation failed, and whether trying again can help.
public struct BlobError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The object does not exist.
        case notFound
        /// The bytes are not what the reference promised (size or SHA-256).
        case integrity
        /// More bytes than the configured limit.
        case tooLarge
        /// The store is unreachable or answered with a server error.
        case unavailable
        /// The store refused the request (credentials, bucket, permissions).
        case refused
        /// A URI or setting this store cannot use.
        case configuration
        /// A local file could not be read or written.
        case io
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Only an unreachable store or a local I/O hiccup may go away on its own.
    public var isRetriable: Bool { code == .unavailable || code == .io }

    public var description: String { message }
}
