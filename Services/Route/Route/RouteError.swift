/// What went wrong in route: a code, a message naming the file, field or ticket, and
/// whether retrying can help.
public struct RouteError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The routing rules file cannot be read or breaks its format.
        case rules
        /// The department directory cannot be read or names what does not exist.
        case directory
        /// The holiday file cannot be read or breaks its format.
        case calendar
        /// A ticket transition the life cycle does not allow.
        case transition
        /// The ticket changed since the caller read it.
        case conflict
        case notFound
        /// The directory in force is the bundled sample, which the API does not edit.
        case notEditable
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// None of these heal by themselves: a file, a request or the ticket must change.
    public var isRetriable: Bool { false }

    public var description: String { "\(code.rawValue): \(message)" }
}
