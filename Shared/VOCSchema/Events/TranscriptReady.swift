import Foundation

/// An interaction as ordered, timed, speaker-attributed text (`voc.transcript.ready.v1`,
/// key: customer id). Text channels pass through; recordings are transcribed.
public struct TranscriptReady: VOCEvent {
    public static let topic = Topic.transcriptReady

    /// Derived from the interaction id and the engine, so re-transcribing with the same
    /// engine yields the same id.
    public var transcriptId: String
    public var interactionId: String
    public var customerId: String
    public var channel: Channel
    public var businessLine: String
    public var occurredAt: Date
    public var language: String?
    public var utterances: [TranscribedUtterance]
    public var engine: Engine
    public var audioDurationMs: Int?
    public var producedAt: Date
    /// What the engine heard but the stage did not keep (below the confidence floor, no
    /// speech, music tokens), so a reviewer can see it. Absent for text channels.
    public var dropped: [DroppedSpeech]?
    /// The staff member who handled the contact, from the interaction. Added in v1, optional.
    public var agentId: String?
    /// The ticket the contact answers, from the interaction. Added in v1, optional.
    public var replyTo: String?
    /// The handling agent resolved the matter in the contact. Added in v1, optional.
    public var resolvedInContact: Bool?
    /// The money at stake, in yuan. Added in v1, optional.
    public var amount: Double?
    /// The customer's tier as the channel knew it. Added in v1, optional.
    public var customerTier: String?

    public struct TranscribedUtterance: Codable, Sendable, Equatable {
        public var speaker: SpeakerRole
        public var startMs: Int?
        public var endMs: Int?
        public var text: String
        /// 0...1, from the engine; 1 for typed text.
        public var confidence: Double

        public init(speaker: SpeakerRole, startMs: Int? = nil, endMs: Int? = nil, text: String, confidence: Double) {
            self.speaker = speaker
            self.startMs = startMs
            self.endMs = endMs
            self.text = text
            self.confidence = confidence
        }
    }

    /// Engine output that was left out of the utterances, and why.
    public struct DroppedSpeech: Codable, Sendable, Equatable {
        public enum Reason: OpenEnum {
            /// The utterance's confidence is below the configured floor.
            case lowConfidence
            /// The engine itself judged the segment to hold no speech.
            case noSpeech
            /// Music or noise markers (`♪`, `[Music]`) rather than words.
            case nonSpeech
            /// A reason added after this build, carried as sent.
            case unknown(String)

            public static let known: [Reason] = [.lowConfidence, .noSpeech, .nonSpeech]

            public init(rawValue: String) {
                switch rawValue {
                case "low_confidence": self = .lowConfidence
                case "no_speech": self = .noSpeech
                case "non_speech": self = .nonSpeech
                default: self = .unknown(rawValue)
                }
            }

            public var rawValue: String {
                switch self {
                case .lowConfidence: "low_confidence"
                case .noSpeech: "no_speech"
                case .nonSpeech: "non_speech"
                case .unknown(let raw): raw
                }
            }
        }

        public var speaker: SpeakerRole
        public var startMs: Int
        public var endMs: Int
        public var text: String
        public var confidence: Double?
        public var reason: Reason

        public init(speaker: SpeakerRole, startMs: Int, endMs: Int, text: String, confidence: Double?, reason: Reason) {
            self.speaker = speaker
            self.startMs = startMs
            self.endMs = endMs
            self.text = text
            self.confidence = confidence
            self.reason = reason
        }
    }

    public struct Engine: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public init(name: String, version: String) {
            self.name = name
            self.version = version
        }
    }

    public init(transcriptId: String, interactionId: String, customerId: String, channel: Channel, businessLine: String,
                occurredAt: Date, language: String? = nil, utterances: [TranscribedUtterance], engine: Engine,
                audioDurationMs: Int? = nil, producedAt: Date, dropped: [DroppedSpeech]? = nil) {
        self.transcriptId = transcriptId
        self.interactionId = interactionId
        self.customerId = customerId
        self.channel = channel
        self.businessLine = businessLine
        self.occurredAt = occurredAt
        self.language = language
        self.utterances = utterances
        self.engine = engine
        self.audioDurationMs = audioDurationMs
        self.producedAt = producedAt
        self.dropped = dropped
    }

    public var eventId: String { transcriptId }
    public var subject: String { customerId }
    public var eventTime: Date { producedAt }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(transcriptId, "transcriptId")
        check.identifier(interactionId, "interactionId")
        check.identifier(customerId, "customerId")
        check.identifier(engine.name, "engine.name")
        for (index, utterance) in utterances.enumerated() where !(0...1).contains(utterance.confidence) {
            check.fail("utterances[\(index)].confidence", "must be between 0 and 1")
        }
        try check.throwIfAny()
    }
}
