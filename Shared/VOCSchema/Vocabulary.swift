/// Where a contact came from. Gateways send the raw value; new channels are added here
/// (an additive change) before a gateway may use them. A consumer built before a channel
/// existed reads it as ``unknown(_:)`` and passes it along.
public enum Channel: OpenEnum {
    case hotlineCall
    case advisorCall
    case chat
    case appFeedback
    case email
    case video
    /// A channel added after this build, carried as sent.
    case unknown(String)

    public static let known: [Channel] = [.hotlineCall, .advisorCall, .chat, .appFeedback, .email, .video]

    public init(rawValue: String) {
        switch rawValue {
        case "hotline_call": self = .hotlineCall
        case "advisor_call": self = .advisorCall
        case "chat": self = .chat
        case "app_feedback": self = .appFeedback
        case "email": self = .email
        case "video": self = .video
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .hotlineCall: "hotline_call"
        case .advisorCall: "advisor_call"
        case .chat: "chat"
        case .appFeedback: "app_feedback"
        case .email: "email"
        case .video: "video"
        case .unknown(let raw): raw
        }
    }

    /// Channels whose primary content is a recording rather than typed text. A channel
    /// this build does not know counts as text: its content is whatever the event carries.
    public var isVoice: Bool {
        switch self {
        case .hotlineCall, .advisorCall, .video: return true
        case .chat, .appFeedback, .email, .unknown: return false
        }
    }
}

/// Who said an utterance. Compliance checks depend on it: the agent must disclose, the
/// customer must confirm.
///
/// `unknown` is a wire value of its own (nobody knows who spoke); a role added after
/// this build is ``unrecognized(_:)``, carried as sent and, for analysis, neither agent
/// nor customer.
public enum SpeakerRole: OpenEnum {
    case agent
    case customer
    case unknown
    /// A role added after this build, carried as sent.
    case unrecognized(String)

    public static let known: [SpeakerRole] = [.agent, .customer, .unknown]

    public init(rawValue: String) {
        switch rawValue {
        case "agent": self = .agent
        case "customer": self = .customer
        case "unknown": self = .unknown
        default: self = .unrecognized(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .agent: "agent"
        case .customer: "customer"
        case .unknown: "unknown"
        case .unrecognized(let raw): raw
        }
    }
}
