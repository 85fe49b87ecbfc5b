import Foundation
import VOCSchema
import VOCStore

/// The customer's two owners as the CRM last reported them, and what the customer allows.
struct CustomerOwners: Sendable, Equatable {
    var advisorId: String?
    var relationshipManagerId: String?
    var ownerSync: Bool
    var sensitiveProfile: Bool

    static func load(_ customerId: String, in session: some SQLSession) async throws -> CustomerOwners? {
        try await session.rows(
            """
            SELECT advisor_id, relationship_manager_id, owner_sync, sensitive_profile
            FROM route_customers WHERE customer_id = \(customerId)
            """, as: String?.self, String?.self, Bool.self, Bool.self
        ).first.map { CustomerOwners(advisorId: $0.0, relationshipManagerId: $0.1, ownerSync: $0.2, sensitiveProfile: $0.3) }
    }

    /// The owners of each of `customerIds` that route knows, in one query.
    static func load(_ customerIds: [String], in session: some SQLSession) async throws -> [String: CustomerOwners] {
        guard !customerIds.isEmpty else { return [:] }
        var owners: [String: CustomerOwners] = [:]
        for (id, advisor, manager, sync, sensitive) in try await session.rows(
            """
            SELECT customer_id, advisor_id, relationship_manager_id, owner_sync, sensitive_profile
            FROM route_customers WHERE customer_id = ANY(\(customerIds)::text[])
            """, as: String.self, String?.self, String?.self, Bool.self, Bool.self) {
            owners[id] = CustomerOwners(advisorId: advisor, relationshipManagerId: manager, ownerSync: sync, sensitiveProfile: sensitive)
        }
        return owners
    }

    /// Records a CRM update; fields the update leaves out keep their value, and an update
    /// older than the one recorded changes nothing.
    static func apply(_ update: CustomerUpdated, in transaction: StoreTransaction) async throws {
        try await transaction.execute(
            """
            INSERT INTO route_customers (customer_id, advisor_id, relationship_manager_id, business_line, owner_sync,
                sensitive_profile, updated_at)
            VALUES (\(update.customerId), \(update.advisorId), \(update.relationshipManagerId), \(update.businessLine),
                \(update.consents?.ownerSync ?? true), \(update.consents?.sensitiveProfile ?? false), \(update.updatedAt))
            ON CONFLICT (customer_id) DO UPDATE SET
                advisor_id = COALESCE(EXCLUDED.advisor_id, route_customers.advisor_id),
                relationship_manager_id = COALESCE(EXCLUDED.relationship_manager_id, route_customers.relationship_manager_id),
                business_line = COALESCE(EXCLUDED.business_line, route_customers.business_line),
                owner_sync = COALESCE(\(update.consents?.ownerSync), route_customers.owner_sync),
                sensitive_profile = COALESCE(\(update.consents?.sensitiveProfile), route_customers.sensitive_profile),
                updated_at = EXCLUDED.updated_at
            WHERE route_customers.updated_at <= EXCLUDED.updated_at
            """)
    }
}

/// Tells each owner who did not serve the contact what the customer said, so the
/// customer never says it twice: an advisor's call goes to the relationship manager,
/// every other channel to the advisor.
enum OwnerSync {
    /// Who did not serve a contact on `channel`.
    static func recipients(channel: Channel, owners: CustomerOwners) -> [NotificationRequested.Recipient] {
        guard owners.ownerSync else { return [] }
        var recipients: [NotificationRequested.Recipient] = []
        switch channel {
        case .advisorCall:
            if let id = owners.relationshipManagerId { recipients.append(.init(role: "relationship_manager", id: id)) }
        default:
            if let id = owners.advisorId { recipients.append(.init(role: "advisor", id: id)) }
        }
        return recipients
    }

    static func notifications(for insight: InsightProduced, owners: CustomerOwners, ticketId: String?,
                              at now: Date) -> [NotificationRequested] {
        recipients(channel: insight.channel, owners: owners).map { recipient in
            let id = StableID.make("owner-sync", insight.insightId, recipient.id)
            return NotificationRequested(
                notificationId: id, idempotencyKey: "owner-sync:\(insight.insightId):\(recipient.id)", recipient: recipient,
                medium: .inbox, title: "客户 \(insight.customerId) 新联系（\(insight.channel.rawValue)）",
                body: body(insight, owners: owners, ticketId: ticketId), ticketId: ticketId, customerId: insight.customerId,
                requestedAt: now, insightId: insight.insightId, interactionId: insight.interactionId,
                categories: insight.categories.map(\.id), sentiment: insight.sentiment.label,
                complaintRisk: insight.complaintRisk, kind: "owner_sync")
        }
    }

    /// The redacted summary: what the customer said (analyze redacted it), what it is
    /// about, and profile facts; sensitive facts only with the customer's consent.
    static func body(_ insight: InsightProduced, owners: CustomerOwners, ticketId: String?) -> String {
        let said = insight.utterances.filter { $0.speaker == .customer }.map(\.text).joined(separator: " ")
        var lines = [String(said.prefix(280))]
        lines.append("categories: \(insight.categories.map(\.id).joined(separator: ", "))")
        lines.append("sentiment: \(insight.sentiment.label), complaint risk: \(String(format: "%.2f", insight.complaintRisk))")
        let facts = insight.profileFacts.filter { !$0.sensitive || owners.sensitiveProfile }.map(\.fact)
        if !facts.isEmpty { lines.append("profile: \(facts.joined(separator: ", "))") }
        if let ticketId { lines.append("ticket: \(ticketId)") }
        return lines.joined(separator: "\n")
    }
}
