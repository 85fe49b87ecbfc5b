import Foundation
import VOCStore

/// The customer 360 and the customer list, as a caller of a given scope may see them.
public struct CustomerRepository: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Whether the customer exists and `scope` may see them: an owner, a department with a
    /// ticket about them, or everyone.
    public func isVisible(_ customerId: String, scope: CustomerScope) async throws -> Bool {
        let (advisor, manager, department) = scope.binds
        return !(try await store.rows(
            """
            SELECT 1 FROM customer_profiles p WHERE p.customer_id = \(customerId)
              AND (\(advisor)::text IS NULL OR p.advisor_id = \(advisor))
              AND (\(manager)::text IS NULL OR p.relationship_manager_id = \(manager))
              AND (\(department)::text IS NULL
                   OR EXISTS (SELECT 1 FROM ticket_queue q WHERE q.customer_id = p.customer_id AND q.department = \(department)))
            """, as: Int.self)).isEmpty
    }

    /// The customer 360, or nil when the customer does not exist or `scope` may not see them.
    /// - Parameter sensitive: the caller holds the right to see sensitive facts; they are
    ///   shown only if the customer also gave the separate consent (PIPL Art. 29).
    public func customer(_ customerId: String, scope: CustomerScope, sensitive: Bool, now: Date = Date(),
                         dueSoon: TimeInterval = 4 * 3600) async throws -> Customer360? {
        guard try await isVisible(customerId, scope: scope) else { return nil }
        let rows = try await store.rows(
            """
            SELECT customer_id, business_line, advisor_id, relationship_manager_id, consent_marketing, consent_recording,
                   consent_sensitive_profile, consent_owner_sync, crm_updated_at, contact_count, first_contact_at, last_contact_at,
                   last_sentiment_label, last_sentiment_score, complaint_risk, max_complaint_risk,
                   (SELECT count(*)::int8 FROM ticket_queue q WHERE q.customer_id = p.customer_id AND q.is_open)
            FROM customer_profiles p WHERE customer_id = \(customerId)
            """, as: String.self, String?.self, String?.self, String?.self, Bool?.self, Bool?.self, Bool?.self, Bool?.self, Date?.self,
            Int.self, Date?.self, Date?.self, String?.self, Double?.self, Double?.self, Double?.self, Int.self)
        guard let row = rows.first else { return nil }
        let (id, line, advisor, manager, marketing, recording, sensitiveConsent, ownerSync, crmAt, contacts, first, last, label, score,
             risk, maxRisk, open) = row
        let facts = try await store.rows(
            """
            SELECT fact, evidence, utterance_index, confidence, sensitive, interaction_id, observed_at
            FROM customer_facts WHERE customer_id = \(customerId) ORDER BY sensitive DESC, fact
            """, as: String.self, String.self, Int?.self, Double.self, Bool.self, String.self, Date.self
        ).map { ProfileFactView(fact: $0.0, evidence: $0.1, utteranceIndex: $0.2, confidence: $0.3, sensitive: $0.4,
                                interactionId: $0.5, observedAt: $0.6) }
        let showSensitive = sensitive && sensitiveConsent == true
        let consents = [marketing, recording, sensitiveConsent, ownerSync].allSatisfy({ $0 == nil }) ? nil
            : ConsentsView(marketing: marketing, recording: recording, sensitiveProfile: sensitiveConsent, ownerSync: ownerSync)
        let tickets = try await TicketQueueRepository(store: store).tickets(ofCustomer: customerId, limit: 50, now: now, dueSoon: dueSoon)
        return Customer360(
            customerId: id, businessLine: line, advisorId: advisor, relationshipManagerId: manager, consents: consents,
            crmUpdatedAt: crmAt, contactCount: contacts, firstContactAt: first, lastContactAt: last,
            lastSentiment: both(label, score).map { SentimentView(label: $0, score: $1) }, complaintRisk: risk, maxComplaintRisk: maxRisk,
            openTickets: open, profileFacts: facts.filter { !$0.sensitive || showSensitive },
            hiddenSensitiveFacts: showSensitive ? 0 : facts.filter(\.sensitive).count,
            suitability: Suitability.hints(for: facts.map { ($0.fact, $0.sensitive) }, showSensitive: showSensitive),
            tickets: tickets)
    }

    /// Customers `scope` may see, ordered by id, after `cursor`.
    public func list(scope: CustomerScope, businessLine: String? = nil, minComplaintRisk: Double? = nil, limit: Int,
                     after cursor: KeysetCursor? = nil) async throws -> CustomerPage {
        let after = cursor?.values.first ?? ""
        let (advisor, manager, department) = scope.binds
        // Parameters of an unnamed statement are known when it is planned, so the conditions
        // a scope does not use fold away and each scope gets its own index.
        let rows = try await store.rows(
            """
            SELECT p.customer_id, p.business_line, p.advisor_id, p.relationship_manager_id, p.contact_count, p.last_contact_at,
                   p.last_sentiment_label, p.last_sentiment_score, p.complaint_risk,
                   (SELECT count(*)::int8 FROM ticket_queue q WHERE q.customer_id = p.customer_id AND q.is_open)
            FROM customer_profiles p
            WHERE p.customer_id > \(after)
              AND (\(advisor)::text IS NULL OR p.advisor_id = \(advisor))
              AND (\(manager)::text IS NULL OR p.relationship_manager_id = \(manager))
              AND (\(department)::text IS NULL
                   OR p.customer_id IN (SELECT q.customer_id FROM ticket_queue q WHERE q.department = \(department)))
              AND (\(businessLine)::text IS NULL OR p.business_line = \(businessLine))
              AND (\(minComplaintRisk)::float8 IS NULL OR COALESCE(p.complaint_risk, 0) >= \(minComplaintRisk))
            ORDER BY p.customer_id LIMIT \(limit + 1)
            """, as: String.self, String?.self, String?.self, String?.self, Int.self, Date?.self, String?.self, Double?.self, Double?.self,
            Int.self)
        var customers = rows.map { row in
            CustomerSummary(customerId: row.0, businessLine: row.1, advisorId: row.2, relationshipManagerId: row.3, contactCount: row.4,
                            lastContactAt: row.5, lastSentiment: both(row.6, row.7).map { SentimentView(label: $0, score: $1) },
                            complaintRisk: row.8, openTickets: row.9)
        }
        var next: String?
        if customers.count > limit {
            customers.removeLast()
            next = customers.last.map { KeysetCursor([$0.customerId]).text }
        }
        return CustomerPage(customers: customers, nextCursor: next)
    }
}

/// Both values, or nil.
func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

extension CustomerScope {
    /// The owner or department a scope is limited to, as statement parameters (nil: not limited by it).
    var binds: (advisor: String?, manager: String?, department: String?) {
        switch self {
        case .all: (nil, nil, nil)
        case .advisor(let id): (id, nil, nil)
        case .relationshipManager(let id): (nil, id, nil)
        case .department(let id): (nil, nil, id)
        }
    }
}
