import Foundation
import VOCSchema
import VOCStore

/// The CRM's part of the customer 360: owners, business line and consents.
///
/// A field the CRM leaves out keeps its value (as route reads the same events); an update
/// older than the one applied — by `updatedAt`, then update id — changes nothing.
enum CustomerWrites {
    struct Row: Encodable {
        var customerId: String
        var advisorId: String?
        var relationshipManagerId: String?
        var businessLine: String?
        var consentMarketing: Bool?
        var consentRecording: Bool?
        var consentSensitiveProfile: Bool?
        var consentOwnerSync: Bool?
        var crmUpdatedAt: Date
        var crmUpdateId: String

        /// This row with `newer` laid over it, as two updates applied one after the other.
        func merged(with newer: Row) -> Row {
            Row(customerId: customerId, advisorId: newer.advisorId ?? advisorId,
                relationshipManagerId: newer.relationshipManagerId ?? relationshipManagerId,
                businessLine: newer.businessLine ?? businessLine, consentMarketing: newer.consentMarketing ?? consentMarketing,
                consentRecording: newer.consentRecording ?? consentRecording,
                consentSensitiveProfile: newer.consentSensitiveProfile ?? consentSensitiveProfile,
                consentOwnerSync: newer.consentOwnerSync ?? consentOwnerSync, crmUpdatedAt: newer.crmUpdatedAt,
                crmUpdateId: newer.crmUpdateId)
        }
    }

    static func apply(_ updates: [CustomerUpdated], in transaction: StoreTransaction) async throws {
        // The updates of one customer in a batch folded into one row, oldest first.
        var rows: [String: Row] = [:]
        for update in updates.sorted(by: { ($0.updatedAt, $0.updateId) < ($1.updatedAt, $1.updateId) }) {
            let row = Row(customerId: update.customerId, advisorId: update.advisorId,
                          relationshipManagerId: update.relationshipManagerId, businessLine: update.businessLine,
                          consentMarketing: update.consents?.marketing, consentRecording: update.consents?.recording,
                          consentSensitiveProfile: update.consents?.sensitiveProfile, consentOwnerSync: update.consents?.ownerSync,
                          crmUpdatedAt: update.updatedAt, crmUpdateId: update.updateId)
            rows[update.customerId] = rows[update.customerId].map { $0.merged(with: row) } ?? row
        }
        try await transaction.execute(
            """
            INSERT INTO customer_profiles AS p (customer_id, advisor_id, relationship_manager_id, business_line, consent_marketing,
                consent_recording, consent_sensitive_profile, consent_owner_sync, crm_updated_at, crm_update_id)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(rows.values)))::jsonb) AS r(customer_id text, advisor_id text,
                relationship_manager_id text, business_line text, consent_marketing boolean, consent_recording boolean,
                consent_sensitive_profile boolean, consent_owner_sync boolean, crm_updated_at timestamptz, crm_update_id text)
            ON CONFLICT (customer_id) DO UPDATE SET
                advisor_id = COALESCE(EXCLUDED.advisor_id, p.advisor_id),
                relationship_manager_id = COALESCE(EXCLUDED.relationship_manager_id, p.relationship_manager_id),
                business_line = COALESCE(EXCLUDED.business_line, p.business_line),
                consent_marketing = COALESCE(EXCLUDED.consent_marketing, p.consent_marketing),
                consent_recording = COALESCE(EXCLUDED.consent_recording, p.consent_recording),
                consent_sensitive_profile = COALESCE(EXCLUDED.consent_sensitive_profile, p.consent_sensitive_profile),
                consent_owner_sync = COALESCE(EXCLUDED.consent_owner_sync, p.consent_owner_sync),
                crm_updated_at = EXCLUDED.crm_updated_at, crm_update_id = EXCLUDED.crm_update_id
            WHERE p.crm_updated_at IS NULL OR (p.crm_updated_at, p.crm_update_id) < (EXCLUDED.crm_updated_at, EXCLUDED.crm_update_id)
            """)
    }
}
