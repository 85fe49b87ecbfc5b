import Foundation

/// The digest as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read
/// the Chinese text): one row per complaint.
public enum DigestCSV {
    public static let header = [
        "month", "business_line", "rank", "interaction_id", "customer_id", "occurred_at", "channel", "cluster_id", "cluster_label",
        "cluster_complaints", "sentiment", "sentiment_score", "complaint_risk", "sharpness", "categories", "tickets", "recording_url",
        "transcript",
    ]

    public static func render(_ digest: Digest) -> String {
        var lines = [header.joined(separator: ",")]
        let time = ISO8601DateFormatter()
        for line in digest.lines {
            for item in line.items {
                let tickets = item.tickets.map { "\($0.ticketId) \($0.status)" + ($0.resolutionCode.map { " \($0)" } ?? "") }
                let fields = [
                    digest.month, line.businessLine, String(item.rank), item.interactionId, item.customerId, time.string(from: item.occurredAt),
                    item.channel, item.clusterId ?? "", item.clusterLabel ?? "", String(item.clusterComplaints), item.sentiment.label,
                    String(item.sentiment.score), String(item.complaintRisk), String(item.sharpness), item.categories.joined(separator: " "),
                    tickets.joined(separator: "; "), item.recording?.url ?? "",
                    item.transcript.map { "\($0.speaker): \($0.text)" }.joined(separator: "\n"),
                ]
                lines.append(fields.map(cell).joined(separator: ","))
            }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A quoted cell. Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is
    /// prefixed with `'`: a customer's words must never become a formula.
    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first), Double(value) == nil { value = "'" + value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
