import Foundation

/// One customer contact accepted by ingest (`voc.interaction.received.v1`, key: customer id).
public struct InteractionReceived: VOCEvent {
    public static let topic = Topic.interactionReceived

    public var interactionId: String
    public var customerId: String
    public var channel: Channel
    public var businessLine: String
    public var occurredAt: Date
    public var receivedAt: Date
    /// BCP 47 tag such as `zh` or `en`, when the gateway knows it.
    public var language: String?
    /// The contact as one text (e-mail, app feedback).
    public var text: String?
    /// The contact as turns (chat transcripts, pre-transcribed calls).
    public var utterances: [Utterance]?
    /// A recording stored by claim-check; the bytes never travel in Kafka.
    public var audio: AudioReference?
    /// The gateway that submitted it (API key owner or raw-topic producer).
    public var gatewayId: String?
    /// The gateway's own id for the contact; with the gateway id it fixes `interactionId`.
    public var externalId: String?
    /// The staff member who handled the contact (agent, advisor).
    public var agentId: String?
    public var metadata: [String: String]?
    /// The ticket this contact answers. Added in v1, optional.
    public var replyTo: String?
    /// The handling agent resolved the matter in this contact. Added in v1, optional.
    public var resolvedInContact: Bool?
    /// The money at stake, in yuan. Added in v1, optional.
    public var amount: Double?
    /// The customer's tier as the channel knows it. Added in v1, optional.
    public var customerTier: String?

    public init(
        interactionId: String, customerId: String, channel: Channel, businessLine: String,
        occurredAt: Date, receivedAt: Date, language: String? = nil, text: String? = nil,
        utterances: [Utterance]? = nil, audio: AudioReference? = nil, gatewayId: String? = nil,
        externalId: String? = nil, agentId: String? = nil, metadata: [String: String]? = nil, replyTo: String? = nil,
        resolvedInContact: Bool? = nil, amount: Double? = nil, customerTier: String? = nil
    ) {
        self.interactionId = interactionId
        self.customerId = customerId
        self.channel = channel
        self.businessLine = businessLine
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.language = language
        self.text = text
        self.utterances = utterances
        self.audio = audio
        self.gatewayId = gatewayId
        self.externalId = externalId
        self.agentId = agentId
        self.metadata = metadata
        self.replyTo = replyTo
        self.resolvedInContact = resolvedInContact
        self.amount = amount
        self.customerTier = customerTier
    }

    public var eventId: String { interactionId }
    public var subject: String { customerId }
    public var eventTime: Date { occurredAt }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(interactionId, "interactionId")
        check.identifier(customerId, "customerId")
        check.identifier(businessLine, "businessLine", maxLength: 64)
        let contents = [text != nil, utterances != nil, audio != nil].filter { $0 }.count
        if contents != 1 { check.fail("text", "exactly one of text, utterances or audio must be present") }
        try check.throwIfAny()
    }

    /// The whole contact as plain text, turns joined by newlines.
    public var plainText: String {
        if let text { return text }
        return (utterances ?? []).map(\.text).joined(separator: "\n")
    }
}

/// One turn of a conversation.
public struct Utterance: Codable, Sendable, Equatable {
    public var speaker: SpeakerRole
    public var text: String
    public var startMs: Int?
    public var endMs: Int?

    public init(speaker: SpeakerRole, text: String, startMs: Int? = nil, endMs: Int? = nil) {
        self.speaker = speaker
        self.text = text
        self.startMs = startMs
        self.endMs = endMs
    }
}

/// Where a recording's bytes are, and what a reader needs to trust them.
public struct AudioReference: Codable, Sendable, Equatable {
    public enum Layout: OpenEnum {
        case mono
        /// Agent on the left channel, customer on the right: the call-centre norm.
        case stereoAgentLeft
        case stereoAgentRight
        /// A layout added after this build, carried as sent.
        case unknown(String)

        public static let known: [Layout] = [.mono, .stereoAgentLeft, .stereoAgentRight]

        public init(rawValue: String) {
            switch rawValue {
            case "mono": self = .mono
            case "stereo_agent_left": self = .stereoAgentLeft
            case "stereo_agent_right": self = .stereoAgentRight
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .mono: "mono"
            case .stereoAgentLeft: "stereo_agent_left"
            case .stereoAgentRight: "stereo_agent_right"
            case .unknown(let raw): raw
            }
        }
    }

    public var uri: String
    public var sizeBytes: Int64
    public var mediaType: String
    public var sha256: String
    public var durationMs: Int?
    public var layout: Layout?

    public init(uri: String, sizeBytes: Int64, mediaType: String, sha256: String, durationMs: Int? = nil, layout: Layout? = nil) {
        self.uri = uri
        self.sizeBytes = sizeBytes
        self.mediaType = mediaType
        self.sha256 = sha256
        self.durationMs = durationMs
        self.layout = layout
    }
}
