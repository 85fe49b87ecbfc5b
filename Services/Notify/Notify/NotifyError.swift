/// What went wrong in the notify stage, and whether trying again can help.
public enum NotifyError: Error, Sendable, CustomStringConvertible {
    /// A setting or the directory file is wrong; the process does not start.
    case configuration(String)
    /// A template is missing, does not parse or renders nothing.
    case template(String)

    public var description: String {
        switch self {
        case .configuration(let message): "configuration: \(message)"
        case .template(let message): "template: \(message)"
        }
    }
}
