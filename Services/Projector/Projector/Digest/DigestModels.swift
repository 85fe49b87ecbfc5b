import Foundation

/// The 听音会 digest of one month: for each business line, the sharpest complaint of each
/// of its largest clusters (docs/console.md explains the ranking).
public struct Digest: Codable, Sendable, Equatable {
    /// `YYYY-MM` in the projector's time zone.
    public var month: String
    public var lines: [DigestLine]
}

/// One business line's part of the digest.
public struct DigestLine: Codable, Sendable, Equatable {
    public var businessLine: String
    /// Complaints of the month the caller may see: contacts analysed as negative or with a
    /// complaint risk of at least ``DigestRanking/minimumRisk``.
    public var complaints: Int
    /// Clusters those complaints fall in (a complaint without a cluster is one of its own).
    public var clusters: Int
    public var items: [DigestItem]
}

/// One complaint of the digest, standing for its cluster.
public struct DigestItem: Codable, Sendable, Equatable {
    /// 1 for the sharpest of the line.
    public var rank: Int
    public var interactionId: String
    public var customerId: String
    public var channel: String
    public var occurredAt: Date
    public var clusterId: String?
    public var clusterLabel: String?
    /// The month's complaints in the same cluster, this one included.
    public var clusterComplaints: Int
    public var sentiment: SentimentView
    public var complaintRisk: Double
    /// 0.6 × complaint risk + 0.4 × negativity, the order of the digest.
    public var sharpness: Double
    public var categories: [String]
    public var summary: String?
    /// The redacted transcript, as analyze produced it.
    public var transcript: [DigestUtterance]
    public var recording: DigestRecording?
    /// The tickets this contact opened or joined, with their outcome.
    public var tickets: [DigestTicket]
}

public struct DigestUtterance: Codable, Sendable, Equatable {
    public var speaker: String
    public var text: String
}

/// Where to play the recording: the read API serves it from the blob store.
public struct DigestRecording: Codable, Sendable, Equatable {
    /// Path on the read API, `/v1/recordings/{interactionId}` (percent-encoded).
    public var url: String
    public var mediaType: String
    public var sizeBytes: Int64
    public var durationMs: Int?
}

/// A ticket's outcome as the queue holds it.
public struct DigestTicket: Codable, Sendable, Equatable {
    public var ticketId: String
    public var status: String
    public var department: String
    public var resolutionCode: String?
    public var resolvedAt: Date?
    public var breached: Bool
}
