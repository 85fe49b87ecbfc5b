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
