import Foundation

/// A sentiment as analyze gives it: `negative`, `neutral` or `positive`, and -1...1.
public struct SentimentView: Codable, Sendable, Equatable {
    public var label: String
    public var score: Double
}

/// Consents as the CRM last sent them; nil where it never said.
public struct ConsentsView: Codable, Sendable, Equatable {
    public var marketing: Bool?
    public var recording: Bool?
    public var sensitiveProfile: Bool?
    public var ownerSync: Bool?
}

/// A profile fact with the redacted utterance it was read from.
public struct ProfileFactView: Codable, Sendable, Equatable {
    public var fact: String
    public var evidence: String
    public var utteranceIndex: Int?
    public var confidence: Double
    public var sensitive: Bool
    public var interactionId: String
    public var observedAt: Date
}

/// A customer as lists show them.
public struct CustomerSummary: Codable, Sendable, Equatable {
    public var customerId: String
    public var businessLine: String?
    public var advisorId: String?
    public var relationshipManagerId: String?
    public var contactCount: Int
    public var lastContactAt: Date?
    public var lastSentiment: SentimentView?
    public var complaintRisk: Double?
    public var openTickets: Int
}

public struct CustomerPage: Codable, Sendable, Equatable {
    public var customers: [CustomerSummary]
    public var nextCursor: String?
}

/// The customer 360.
public struct Customer360: Codable, Sendable, Equatable {
    public var customerId: String
    public var businessLine: String?
    public var advisorId: String?
    public var relationshipManagerId: String?
    public var consents: ConsentsView?
    public var crmUpdatedAt: Date?
    public var contactCount: Int
    public var firstContactAt: Date?
    public var lastContactAt: Date?
    public var lastSentiment: SentimentView?
    public var complaintRisk: Double?
    public var maxComplaintRisk: Double?
    public var openTickets: Int
    /// Facts the caller may see: sensitive ones only with the right and the customer's consent.
    public var profileFacts: [ProfileFactView]
    /// Sensitive facts held but withheld from this caller.
    public var hiddenSensitiveFacts: Int
    public var suitability: [SuitabilityHint]
    public var tickets: [QueueTicket]
}
