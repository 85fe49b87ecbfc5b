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

    public struct AnalyzedUtterance: Codable, Sendable, Equatable {
        public var speaker: SpeakerRole
        public var text: String
        public var startMs: Int?
        public var endMs: Int?
        public var sentiment: Sentiment
    }

    public struct PIIFinding: Codable, Sendable, Equatable {
        /// `id_card`, `bank_card`, `mobile`, `landline`, `email`.
        public var type: String
        /// Masked value (e.g. `6222 **** **** 1234`); the clear value never leaves analyze.
        public var value: String
        public var utteranceIndex: Int
        public var start: Int
        public var end: Int
    }

    public struct Keyword: Codable, Sendable, Equatable {
        public var term: String
        public var weight: Double
    }

    public struct Sentiment: Codable, Sendable, Equatable {
        /// `negative`, `neutral` or `positive`.
        public var label: String
        /// -1...1.
        public var score: Double
    }

    public struct CategoryScore: Codable, Sendable, Equatable {
        public var id: String
        public var score: Double
    }

    public struct ComplianceFinding: Codable, Sendable, Equatable {
        public var rule: String
        public var utteranceIndex: Int?
        public var evidence: String
    }

    public struct ProfileFact: Codable, Sendable, Equatable {
        public var fact: String
        public var evidence: String
        public var utteranceIndex: Int?
        public var confidence: Double
        /// PIPL Art. 28 sensitive personal information (health, among others).
        public var sensitive: Bool
    }

    public struct ClusterAssignment: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
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
