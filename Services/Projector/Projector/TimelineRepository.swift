import Foundation
import VOCStore

/// One contact on a customer's timeline, as the read API shows it.
public struct TimelineEntry: Codable, Sendable, Equatable {
    public var entryId: String
    public var kind: String
    public var channel: String
    public var businessLine: String
    public var occurredAt: Date
    public var receivedAt: Date
    public var language: String?
    public var agentId: String?
    public var gatewayId: String?
    public var contentChars: Int
    public var utteranceCount: Int
    public var hasAudio: Bool
    /// Redacted summary, once analyze has produced one.
    public var summary: String?
}

/// A page of a timeline; `nextCursor` fetches the older entries.
public struct TimelinePage: Codable, Sendable, Equatable {
    public var customerId: String
    public var entries: [TimelineEntry]
    public var nextCursor: String?
}

/// Keyset position in a timeline: the last entry's time and id.
struct TimelineCursor: Equatable {
    var occurredAt: Date
    var entryId: String

    init(occurredAt: Date, entryId: String) {
        self.occurredAt = occurredAt
        self.entryId = entryId
    }

    init?(_ text: String) {
        guard let data = Data(base64Encoded: text), let decoded = String(data: data, encoding: .utf8) else { return nil }
        let parts = decoded.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]) else { return nil }
        occurredAt = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
        entryId = String(parts[1])
    }

    var text: String {
        let micros = Int64((occurredAt.timeIntervalSince1970 * 1_000_000).rounded())
        return Data("\(micros)|\(entryId)".utf8).base64EncodedString()
    }
}

struct TimelineRepository: Sendable {
    let store: Store

    func page(customerId: String, limit: Int, after cursor: TimelineCursor?) async throws -> TimelinePage {
        let farFuture = Date(timeIntervalSince1970: 32_503_680_000)
        let beforeTime = cursor?.occurredAt ?? farFuture
        let beforeID = cursor?.entryId ?? ""
        let rows = try await store.rows(
            """
            SELECT entry_id, kind, channel, business_line, occurred_at, received_at, language, agent_id, gateway_id,
                   content_chars, utterance_count, has_audio, summary
            FROM timeline_entries
            WHERE customer_id = \(customerId)
              AND (occurred_at < \(beforeTime) OR (occurred_at = \(beforeTime) AND entry_id < \(beforeID)))
            ORDER BY occurred_at DESC, entry_id DESC
            LIMIT \(limit + 1)
            """, as: String.self, String.self, String.self, String.self, Date.self, Date.self, String?.self, String?.self,
            String?.self, Int.self, Int.self, Bool.self, String?.self)
        var entries: [TimelineEntry] = []
        for (id, kind, channel, line, occurred, received, language, agent, gateway, chars, turns, audio, summary) in rows {
            entries.append(TimelineEntry(
                entryId: id, kind: kind, channel: channel, businessLine: line, occurredAt: occurred, receivedAt: received,
                language: language, agentId: agent, gatewayId: gateway, contentChars: chars, utteranceCount: turns,
                hasAudio: audio, summary: summary))
        }
        var next: String?
        if entries.count > limit {
            entries.removeLast()
            next = entries.last.map { TimelineCursor(occurredAt: $0.occurredAt, entryId: $0.entryId).text }
        }
        return TimelinePage(customerId: customerId, entries: entries, nextCursor: next)
    }
}
