import Foundation

/// One agent's record over a period (docs/read-models.md defines each figure).
public struct Scorecard: Codable, Sendable, Equatable {
    public var agentId: String
    public var contacts: Int
    public var analysedContacts: Int
    /// Findings per compliance rule.
    public var complianceFindings: [String: Int]
    public var contactsWithFindings: Int
    public var averageSentiment: Double?
    public var ticketsOpened: Int
    public var firstContactResolution: Double?
    public var reopenRate: Double?
    public var sentimentAfterContact: Double?
}

public struct ScorecardPage: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var scorecards: [Scorecard]
    public var nextCursor: String?
}

/// Contacts of one day, business line and category.
public struct TrendPoint: Codable, Sendable, Equatable {
    public var day: String
    public var businessLine: String
    public var category: String
    public var contacts: Int
    public var negative: Int
    public var averageSentiment: Double
}

public struct TrendSeries: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var points: [TrendPoint]
}

/// A complaint cluster and how fast it grows.
public struct ClusterGrowth: Codable, Sendable, Equatable {
    public var clusterId: String
    public var label: String
    public var businessLine: String
    public var size: Int
    public var recent: Int
    public var previous: Int
    public var growth: Int
}

public struct ClusterList: Codable, Sendable, Equatable {
    public var clusters: [ClusterGrowth]
}
