import Foundation

/// A complaint of the month, with what the ranking needs.
public struct DigestCandidate: Sendable, Equatable {
    public var interactionId: String
    public var clusterId: String?
    public var complaintRisk: Double
    public var sentimentScore: Double
    public var hasRecording: Bool
    public var occurredAt: Date

    public init(interactionId: String, clusterId: String?, complaintRisk: Double, sentimentScore: Double, hasRecording: Bool,
                occurredAt: Date) {
        self.interactionId = interactionId
        self.clusterId = clusterId
        self.complaintRisk = complaintRisk
        self.sentimentScore = sentimentScore
        self.hasRecording = hasRecording
        self.occurredAt = occurredAt
    }

    /// 0.6 × complaint risk + 0.4 × negativity (a negative score's size; 0 for a positive one),
    /// from 0 to 1: risk weighs more because analyze already folds escalation words into it.
    public var sharpness: Double { 0.6 * complaintRisk + 0.4 * max(0, -sentimentScore) }
}

/// Chooses the complaints of one business line's digest: the largest clusters of the month,
/// one representative each — the sharpest member, a recording preferred — listed sharpest
/// first. Ten complaints about one fee do not push out the other nine clusters.
public enum DigestRanking {
    /// A contact is a complaint when analyze found it negative or its risk at least this.
    public static let minimumRisk = 0.5
    /// How much sharper a text contact must be to represent its cluster instead of a
    /// recording: the listening session is about hearing the customer.
    public static let recordingPreference = 0.1

    public struct Pick: Sendable, Equatable {
        public var candidate: DigestCandidate
        /// Complaints of the month in its cluster, itself included.
        public var clusterComplaints: Int
    }

    public static func isComplaint(sentimentLabel: String?, complaintRisk: Double?) -> Bool {
        sentimentLabel == "negative" || (complaintRisk ?? 0) >= minimumRisk
    }

    /// - Returns: at most `limit` picks, one per cluster, sharpest first.
    public static func pick(_ candidates: [DigestCandidate], limit: Int) -> [Pick] {
        var clusters: [String: [DigestCandidate]] = [:]
        for candidate in candidates {
            // A complaint analyze put in no cluster stands for itself.
            clusters[candidate.clusterId ?? "\u{1F}" + candidate.interactionId, default: []].append(candidate)
        }
        let representatives = clusters.values.map { members in
            Pick(candidate: members.max(by: { representativeOrder($1, $0) })!, clusterComplaints: members.count)
        }
        let largest = representatives.sorted { a, b in
            if a.clusterComplaints != b.clusterComplaints { return a.clusterComplaints > b.clusterComplaints }
            return sharperFirst(a.candidate, b.candidate)
        }.prefix(limit)
        return largest.sorted { a, b in
            if a.candidate.sharpness != b.candidate.sharpness { return a.candidate.sharpness > b.candidate.sharpness }
            if a.clusterComplaints != b.clusterComplaints { return a.clusterComplaints > b.clusterComplaints }
            return a.candidate.interactionId < b.candidate.interactionId
        }
    }

    /// Whether `a` represents a cluster better than `b`.
    static func representativeOrder(_ a: DigestCandidate, _ b: DigestCandidate) -> Bool {
        let weightA = a.sharpness + (a.hasRecording ? recordingPreference : 0)
        let weightB = b.sharpness + (b.hasRecording ? recordingPreference : 0)
        if weightA != weightB { return weightA > weightB }
        return sharperFirst(a, b)
    }

    /// Sharper first, then the later contact, then by id, so every order of input gives one answer.
    static func sharperFirst(_ a: DigestCandidate, _ b: DigestCandidate) -> Bool {
        if a.sharpness != b.sharpness { return a.sharpness > b.sharpness }
        if a.occurredAt != b.occurredAt { return a.occurredAt > b.occurredAt }
        return a.interactionId < b.interactionId
    }
}
