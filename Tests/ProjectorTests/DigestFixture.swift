import Foundation
import Projector
import VOCSchema

/// A crafted month (November 2025 in Shanghai) of complaints in three business lines, each
/// line with clusters of different sizes, a recording, praise, a complaint of the month
/// before and a customer of another advisor.
enum DigestFixture {
    struct Complaint {
        var id: String
        var customer: String
        var line: String
        var cluster: String?
        var risk: Double
        var score: Double
        var hours: Double = 10
        var recorded = false

        var label: String { score < -0.1 ? "negative" : score > 0.1 ? "positive" : "neutral" }
        /// Computed here from the documented weights, not read from the code under test.
        var sharpness: Double { 0.6 * risk + 0.4 * max(0, -score) }
    }

    static let owners = ["D-W1": "adv-w", "D-W2": "adv-x", "D-C1": "adv-c", "D-L1": "adv-l"]
    static let lineOf = ["D-W1": "wealth", "D-W2": "wealth", "D-C1": "credit_card", "D-L1": "consumer_loan"]

    static let complaints: [Complaint] = [
        // wealth: W-A is the largest cluster (4 with D-W2's), W-B has a recording, W-C holds the sharpest complaint alone.
        Complaint(id: "w1", customer: "D-W1", line: "wealth", cluster: "W-A", risk: 0.9, score: -0.8),
        Complaint(id: "w2", customer: "D-W1", line: "wealth", cluster: "W-A", risk: 0.6, score: -0.5, hours: 20),
        Complaint(id: "w3", customer: "D-W1", line: "wealth", cluster: "W-A", risk: 0.5, score: -0.3, hours: 30),
        Complaint(id: "w9", customer: "D-W2", line: "wealth", cluster: "W-A", risk: 0.8, score: -0.6, hours: 40),
        Complaint(id: "w4", customer: "D-W1", line: "wealth", cluster: "W-B", risk: 0.7, score: -0.6, hours: 50),
        Complaint(id: "w5", customer: "D-W1", line: "wealth", cluster: "W-B", risk: 0.65, score: -0.55, hours: 60, recorded: true),
        Complaint(id: "w6", customer: "D-W1", line: "wealth", cluster: "W-C", risk: 0.95, score: -0.9, hours: 70),
        Complaint(id: "w10", customer: "D-W1", line: "wealth", cluster: nil, risk: 0.55, score: -0.2, hours: 80),
        // Not in the digest: praise, and a sharper complaint of October.
        Complaint(id: "w7", customer: "D-W1", line: "wealth", cluster: "W-A", risk: 0.05, score: 0.8, hours: 90),
        Complaint(id: "w8", customer: "D-W1", line: "wealth", cluster: "W-A", risk: 0.99, score: -0.95, hours: -20 * 24),
        // credit_card: the lone C-B complaint is sharper than the two of C-A.
        Complaint(id: "c1", customer: "D-C1", line: "credit_card", cluster: "C-A", risk: 0.8, score: -0.7),
        Complaint(id: "c2", customer: "D-C1", line: "credit_card", cluster: "C-A", risk: 0.5, score: -0.4, hours: 15),
        Complaint(id: "c3", customer: "D-C1", line: "credit_card", cluster: "C-B", risk: 0.7, score: -0.9, hours: 25),
        // consumer_loan: negative without much risk still counts as a complaint.
        Complaint(id: "l1", customer: "D-L1", line: "consumer_loan", cluster: "L-A", risk: 0.6, score: -0.9),
        Complaint(id: "l2", customer: "D-L1", line: "consumer_loan", cluster: "L-A", risk: 0.5, score: -0.5, hours: 12),
        Complaint(id: "l3", customer: "D-L1", line: "consumer_loan", cluster: "L-B", risk: 0.3, score: -0.6, hours: 14),
    ]

    /// The month's complaints a scope sees, by the rule the digest documents.
    static func inDigest(owner: String? = nil) -> [Complaint] {
        complaints.filter { c in
            (c.label == "negative" || c.risk >= 0.5) && c.hours >= 0 && (owner == nil || owners[c.customer] == owner)
        }
    }

    static var events: [ProjectedEvent] {
        var events: [ProjectedEvent] = owners.sorted(by: { $0.key < $1.key }).map { customer, advisor in
            ProjectedEvent(.customer(CustomerUpdated(updateId: "u-\(customer)", customerId: customer, advisorId: advisor,
                                                     businessLine: lineOf[customer], updatedAt: ReadFixture.at(hours: -48))),
                           eventId: "u-\(customer)")
        }
        for c in complaints {
            let audio = c.recorded ? AudioReference(uri: "file:///digest/\(c.id).wav", sizeBytes: 1_000, mediaType: "audio/wav",
                                                    sha256: String(repeating: "a", count: 64), durationMs: 9_000) : nil
            let interaction = InteractionReceived(
                interactionId: c.id, customerId: c.customer, channel: c.recorded ? .hotlineCall : .chat, businessLine: c.line,
                occurredAt: ReadFixture.at(hours: c.hours), receivedAt: ReadFixture.at(hours: c.hours + 0.01), language: "zh",
                text: c.recorded ? nil : "原文 \(ReadFixture.clearPhone)", audio: audio, agentId: "ag-1")
            events.append(ProjectedEvent(.interaction(interaction), eventId: c.id))
            let insight = ReadFixture.insight(
                "ins-\(c.id)", interaction: c.id, customer: c.customer, line: c.line, hours: c.hours, producedHours: c.hours + 0.1,
                category: c.score > 0 ? "praise" : "fees_interest", sentiment: (c.label, c.score), risk: c.risk,
                cluster: c.cluster.map { .init(id: $0, label: "label \($0)", size: 1) }, text: "\(c.id) 投诉，电话 [mobile]")
            events.append(ProjectedEvent(.insight(insight), eventId: insight.insightId))
        }
        let ticket = ReadFixture.ticket("tk-w1", 1, .opened, .open, customer: "D-W1", department: "wealth_ops", hours: 1, interaction: "w1", due: 48)
        let resolved = ReadFixture.ticket("tk-w1", 2, .resolved, .resolved, customer: "D-W1", department: "wealth_ops", hours: 5)
        events += [ProjectedEvent(.ticket(ticket), eventId: ticket.eventId), ProjectedEvent(.ticket(resolved), eventId: resolved.eventId)]
        return events
    }

    static let month = Month("2025-11", timeZone: ProjectionTests.zone)!
}
