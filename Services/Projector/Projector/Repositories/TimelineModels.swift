import Foundation
import VOCSchema

/// One contact on a customer's timeline, as the read API shows it.
public struct TimelineEntry: Codable, Sendable, Equatable {
    public var entryId: String
    public var kind: String
    public var channel: String
    public var businessLine: String
    public var occurredAt: Date
    /// Absent while only the insight or transcript of the contact has arrived.
    public var receivedAt: Date?
    public var language: String?
    public var agentId: String?
    public var gatewayId: String?
    public var contentChars: Int
    public var utteranceCount: Int
    public var hasAudio: Bool
    public var audioDurationMs: Int?
    public var transcriptEngine: String?
    /// The redacted transcript's first customer utterance, once analyze has produced it.
    public var summary: String?
    public var insight: InsightView?
    public var tickets: [TimelineTicket]
    public var notifications: [TimelineNotification]
}

/// What analyze understood of a contact; every text in it is redacted.
public struct InsightView: Codable, Sendable, Equatable {
    public var insightId: String
    public var sentiment: SentimentView
    public var categories: [String]
    public var complaintRisk: Double
    public var effort: Double?
    public var cluster: ClusterView?
    public var keywords: [String]
    public var utterances: [InsightProduced.AnalyzedUtterance]
    public var compliance: [InsightProduced.ComplianceFinding]

    public struct ClusterView: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
    }
}

/// A ticket a contact opened or was about.
public struct TimelineTicket: Codable, Sendable, Equatable {
    public var ticketId: String
    public var status: String
    public var category: String
    public var department: String
    /// This contact opened the ticket (otherwise it was a repeat contact about it).
    public var opened: Bool
}

/// A notification about a contact, with notify's outcome.
public struct TimelineNotification: Codable, Sendable, Equatable {
    public var notificationId: String
    public var recipientRole: String
    public var recipientId: String
    public var medium: String
    public var kind: String?
    public var title: String
    public var body: String?
    public var requestedAt: Date
    public var outcome: String?
    public var deliveredAt: Date?
}

/// A page of a timeline; `nextCursor` fetches the older entries.
public struct TimelinePage: Codable, Sendable, Equatable {
    public var customerId: String
    public var entries: [TimelineEntry]
    public var nextCursor: String?
}
