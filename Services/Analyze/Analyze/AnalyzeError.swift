/// What went wrong in analyze: a code, a message naming the file or resource, and
/// whether retrying can help.
public struct AnalyzeError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// jieba's dictionary is missing or broken.
        case segmenter
        /// The rule file cannot be read or breaks its format.
        case rulePack
        /// The learned model file cannot be read or breaks its format.
        case model
        /// `voc train` cannot train from what it was given.
        case training
        /// An input line of `voc analyze` is not a valid interaction or transcript.
        case input
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// None of these heal by themselves: the file, the package or the input must change.
    public var isRetriable: Bool { false }

    public var description: String { "\(code.rawValue): \(message)" }
}
