import Foundation

/// What analyze understood of one transcript (`voc.insight.produced.v1`, key: customer id).
/// Text in it is already redacted: no PII leaves analyze.
public struct InsightProduced: VOCEvent {
    public static let topic = Topic.insightProduced

    /// Derived from the transcript id and the rule-pack version.
    public var insightId: String
    public var transcriptId: String
    public var interactionId: String
    public var customerId: String
    public var channel: Channel
    public var businessLine: String
    public var occurredAt: Date
    public var language: String
    public var rulePackVersion: String
    public var utterances: [AnalyzedUtterance]
    public var pii: [PIIFinding]
    public var keywords: [Keyword]
    public var sentiment: Sentiment
    public var categories: [CategoryScore]
    public var compliance: [ComplianceFinding]
    public var profileFacts: [ProfileFact]
    public var suitability: [String]
    /// 0...1: how likely the customer escalates (regulator, media, repeated contact).
    public var complaintRisk: Double
    /// 0...1: how hard the customer had to work (repeats, transfers, waiting).
    public var effort: Double
    public var cluster: ClusterAssignment?
    public var producedAt: Date
    /// Version of the analysers (with `rulePackVersion` it determines `insightId`). Added in v1, optional.
    public var analyzerVersion: String?
    /// The cues behind `complaintRisk` (e.g. `regulator_threat`, `repeat_contact`). Added in v1, optional.
    public var complaintSignals: [String]?
    /// The cues behind `effort` (e.g. `transfer`, `waiting`). Added in v1, optional.
    public var effortSignals: [String]?
    /// The staff member who handled the contact, from the interaction. Added in v1, optional.
    public var agentId: String?
    /// The ticket the contact answers (route confirms or reopens exactly that one). Added in v1, optional.
    public var replyTo: String?
    /// The handling agent resolved the matter in the contact. Added in v1, optional.
    public var resolvedInContact: Bool?
    /// The money at stake, in yuan. Added in v1, optional.
    public var amount: Double?
    /// The customer's tier as the channel knew it. Added in v1, optional.
    public var customerTier: String?

    public init(insightId: String, transcriptId: String, interactionId: String, customerId: String, channel: Channel,
                businessLine: String, occurredAt: Date, language: String, rulePackVersion: String,
                utterances: [AnalyzedUtterance], pii: [PIIFinding], keywords: [Keyword], sentiment: Sentiment,
                categories: [CategoryScore], compliance: [ComplianceFinding], profileFacts: [ProfileFact],
                suitability: [String], complaintRisk: Double, effort: Double, cluster: ClusterAssignment? = nil,
                producedAt: Date, analyzerVersion: String? = nil, complaintSignals: [String]? = nil,
                effortSignals: [String]? = nil) {
        self.insightId = insightId
        self.transcriptId = transcriptId
        self.interactionId = interactionId
        self.customerId = customerId
        self.channel = channel
        self.businessLine = businessLine
        self.occurredAt = occurredAt
        self.language = language
        self.rulePackVersion = rulePackVersion
        self.utterances = utterances
        self.pii = pii
        self.keywords = keywords
        self.sentiment = sentiment
        self.categories = categories
        self.compliance = compliance
        self.profileFacts = profileFacts
        self.suitability = suitability
        self.complaintRisk = complaintRisk
        self.effort = effort
        self.cluster = cluster
        self.producedAt = producedAt
        self.analyzerVersion = analyzerVersion
        self.complaintSignals = complaintSignals
        self.effortSignals = effortSignals
    }

    public struct AnalyzedUtterance: Codable, Sendable, Equatable {
        public var speaker: SpeakerRole
        public var text: String
        public var startMs: Int?
        public var endMs: Int?
        public var sentiment: Sentiment

        public init(speaker: SpeakerRole, text: String, startMs: Int? = nil, endMs: Int? = nil, sentiment: Sentiment) {
            self.speaker = speaker
            self.text = text
            self.startMs = startMs
            self.endMs = endMs
            self.sentiment = sentiment
        }
    }

    public struct PIIFinding: Codable, Sendable, Equatable {
        /// `id_card`, `bank_card`, `mobile`, `landline`, `email`.
        public var type: String
        /// Masked value (e.g. `6222 **** **** 1234`); the clear value never leaves analyze.
        public var value: String
        public var utteranceIndex: Int
        public var start: Int
        public var end: Int

        public init(type: String, value: String, utteranceIndex: Int, start: Int, end: Int) {
            self.type = type
            self.value = value
            self.utteranceIndex = utteranceIndex
            self.start = start
            self.end = end
        }
    }

    public struct Keyword: Codable, Sendable, Equatable {
        public var term: String
        public var weight: Double

        public init(term: String, weight: Double) {
            self.term = term
            self.weight = weight
        }
    }

    public struct Sentiment: Codable, Sendable, Equatable {
        /// `negative`, `neutral` or `positive`.
        public var label: String
        /// -1...1.
        public var score: Double

        public init(label: String, score: Double) {
            self.label = label
            self.score = score
        }
    }

    public struct CategoryScore: Codable, Sendable, Equatable {
        public var id: String
        public var score: Double

        public init(id: String, score: Double) {
            self.id = id
            self.score = score
        }
    }

    public struct ComplianceFinding: Codable, Sendable, Equatable {
        public var rule: String
        /// The utterance that breaks the rule; absent when the finding is about something never said.
        public var utteranceIndex: Int?
        /// The cited utterance (redacted), or what was looked for and not found.
        public var evidence: String
        /// Why the rule is broken. Added in v1, optional.
        public var reason: String?

        public init(rule: String, utteranceIndex: Int?, evidence: String, reason: String? = nil) {
            self.rule = rule
            self.utteranceIndex = utteranceIndex
            self.evidence = evidence
            self.reason = reason
        }
    }

    public struct ProfileFact: Codable, Sendable, Equatable {
        public var fact: String
        public var evidence: String
        public var utteranceIndex: Int?
        public var confidence: Double
        /// PIPL Art. 28 sensitive personal information (health, among others).
        public var sensitive: Bool

        public init(fact: String, evidence: String, utteranceIndex: Int?, confidence: Double, sensitive: Bool) {
            self.fact = fact
            self.evidence = evidence
            self.utteranceIndex = utteranceIndex
            self.confidence = confidence
            self.sensitive = sensitive
        }
    }

    public struct ClusterAssignment: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        /// Members of the cluster so far, this one included. Added in v1, optional.
        public var size: Int?

        public init(id: String, label: String, size: Int? = nil) {
            self.id = id
            self.label = label
            self.size = size
        }
    }

    public var eventId: String { insightId }
    public var subject: String { customerId }
    public var eventTime: Date { producedAt }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(insightId, "insightId")
        check.identifier(transcriptId, "transcriptId")
        check.identifier(customerId, "customerId")
        if !(0...1).contains(complaintRisk) { check.fail("complaintRisk", "must be between 0 and 1") }
        if !(0...1).contains(effort) { check.fail("effort", "must be between 0 and 1") }
        try check.throwIfAny()
    }
}
