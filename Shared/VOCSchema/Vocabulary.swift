/// Where a contact came from. Gateways send the raw value; new channels are added here
/// (an additive change) before a gateway may use them.
public enum Channel: String, CaseIterable, Sendable, Codable {
    case hotlineCall = "hotline_call"
    case advisorCall = "advisor_call"
    case chat
    case appFeedback = "app_feedback"
    case email
    case video

    /// Channels whose primary content is a recording rather than typed text.
    public var isVoice: Bool {
        switch self {
        case .hotlineCall, .advisorCall, .video: return true
        case .chat, .appFeedback, .email: return false
        }
    }
}

/// Who said an utterance. Compliance checks depend on it: the agent must disclose, the
/// customer must confirm.
public enum SpeakerRole: String, CaseIterable, Sendable, Codable {
    case agent
    case customer
    case unknown
}
