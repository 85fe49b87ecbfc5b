import Foundation
import VOCSchema
import VOCStore

/// Notifications about a customer's contacts and tickets (their text is redacted by
/// whoever requested them), with notify's outcome. Either may arrive first.
enum NotificationWrites {
    struct RequestRow: Encodable {
        var notificationId: String
        var customerId: String?
        var interactionId: String?
        var ticketId: String?
        var recipientRole: String
        var recipientId: String
        var medium: String
        var kind: String?
        var title: String
        var body: String
        var requestedAt: Date
    }

    struct OutcomeRow: Encodable {
        var notificationId: String
        var outcome: String
        var deliveredAt: Date
        var deliveredVia: String?
    }

    static func apply(_ requests: [NotificationRequested], _ deliveries: [NotificationDelivered],
                      in transaction: StoreTransaction) async throws {
        // Only what a timeline can show: a notification about no customer, contact or ticket is not kept.
        var rows: [String: RequestRow] = [:]
        for request in requests where request.customerId != nil || request.interactionId != nil || request.ticketId != nil {
            rows[request.notificationId] = RequestRow(
                notificationId: request.notificationId, customerId: request.customerId, interactionId: request.interactionId,
                ticketId: request.ticketId, recipientRole: request.recipient.role, recipientId: request.recipient.id,
                medium: request.medium.rawValue, kind: request.kind, title: request.title, body: request.body,
                requestedAt: request.requestedAt)
        }
        if !rows.isEmpty {
            try await transaction.execute(
                """
                INSERT INTO customer_notifications AS n (notification_id, customer_id, interaction_id, ticket_id, recipient_role,
                    recipient_id, medium, kind, title, body, requested_at)
                SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(rows.values)))::jsonb) AS r(notification_id text,
                    customer_id text, interaction_id text, ticket_id text, recipient_role text, recipient_id text, medium text,
                    kind text, title text, body text, requested_at timestamptz)
                ON CONFLICT (notification_id) DO UPDATE SET
                    customer_id = EXCLUDED.customer_id, interaction_id = EXCLUDED.interaction_id, ticket_id = EXCLUDED.ticket_id,
                    recipient_role = EXCLUDED.recipient_role, recipient_id = EXCLUDED.recipient_id, medium = EXCLUDED.medium,
                    kind = EXCLUDED.kind, title = EXCLUDED.title, body = EXCLUDED.body, requested_at = EXCLUDED.requested_at
                """)
        }
        // The last outcome of a notification (a retry that delivered after one that failed).
        var outcomes: [String: OutcomeRow] = [:]
        for delivery in deliveries {
            let row = OutcomeRow(notificationId: delivery.notificationId, outcome: delivery.outcome.rawValue,
                                 deliveredAt: delivery.deliveredAt, deliveredVia: delivery.deliveredVia?.rawValue)
            if let known = outcomes[row.notificationId], (known.deliveredAt, known.outcome) >= (row.deliveredAt, row.outcome) { continue }
            outcomes[row.notificationId] = row
        }
        guard !outcomes.isEmpty else { return }
        try await transaction.execute(
            """
            INSERT INTO customer_notifications AS n (notification_id, outcome, delivered_at, delivered_via)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(outcomes.values)))::jsonb)
                AS r(notification_id text, outcome text, delivered_at timestamptz, delivered_via text)
            ON CONFLICT (notification_id) DO UPDATE SET
                outcome = EXCLUDED.outcome, delivered_at = EXCLUDED.delivered_at, delivered_via = EXCLUDED.delivered_via
            WHERE n.delivered_at IS NULL OR (n.delivered_at, n.outcome) < (EXCLUDED.delivered_at, EXCLUDED.outcome)
            """)
    }
}
