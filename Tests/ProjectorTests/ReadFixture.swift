import Foundation
import Projector
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// A crafted week of events for two customers — one with an id of Chinese characters, a
/// space and a slash — covering every topic the projector reads.
enum ReadFixture {
    static let odd = "客户 A/1"
    static let t0 = Date(timeIntervalSince1970: 1_763_348_400)  // 2025-11-17 03:00 UTC, 11:00 in Shanghai
    static func at(hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }
    /// A phone number that appears only in a transcript's (unredacted) text.
    static let clearPhone = "13812345678"

    static var customers: [CustomerUpdated] {
        [
            CustomerUpdated(updateId: "cu-1", customerId: "C-A", advisorId: "adv-1", relationshipManagerId: "rm-1", businessLine: "wealth",
                            consents: .init(marketing: true, sensitiveProfile: true), updatedAt: at(hours: -10)),
            // A later partial update: the owners stay.
            CustomerUpdated(updateId: "cu-2", customerId: "C-A", consents: .init(marketing: false), updatedAt: at(hours: -5)),
            CustomerUpdated(updateId: "cu-3", customerId: odd, advisorId: "adv-2", businessLine: "credit_card",
                            consents: .init(sensitiveProfile: false), updatedAt: at(hours: -10)),
        ]
    }

    static var interactions: [InteractionReceived] {
        [
            InteractionReceived(interactionId: "i-1", customerId: "C-A", channel: .hotlineCall, businessLine: "wealth", occurredAt: at(hours: 0),
                                receivedAt: at(hours: 0.01), language: "zh",
                                audio: AudioReference(uri: "file:///x.wav", sizeBytes: 10, mediaType: "audio/wav", sha256: "ab"),
                                agentId: "ag-1"),
            InteractionReceived(interactionId: "i-2", customerId: "C-A", channel: .chat, businessLine: "wealth", occurredAt: at(hours: 30),
                                receivedAt: at(hours: 30.01), utterances: [Utterance(speaker: .customer, text: "谢谢，已经到账了")],
                                agentId: "ag-2"),
            InteractionReceived(interactionId: "i-3", customerId: odd, channel: .email, businessLine: "credit_card", occurredAt: at(hours: 2),
                                receivedAt: at(hours: 2.01), text: "我有糖尿病，年费请退回，电话 \(clearPhone)", agentId: "ag-1"),
        ]
    }

    static var transcripts: [TranscriptReady] {
        [TranscriptReady(transcriptId: "tr-1", interactionId: "i-1", customerId: "C-A", channel: .hotlineCall, businessLine: "wealth",
                         occurredAt: at(hours: 0), utterances: [.init(speaker: .customer, text: "赎回太慢，我血压高，电话 \(clearPhone)", confidence: 0.9)],
                         engine: .init(name: "faster-whisper", version: "1"), audioDurationMs: 61_000, producedAt: at(hours: 0.02))]
    }

    static func insight(_ id: String, interaction: String, customer: String, line: String, hours: Double, producedHours: Double,
                        category: String, sentiment: (String, Double), risk: Double, facts: [InsightProduced.ProfileFact] = [],
                        compliance: [InsightProduced.ComplianceFinding] = [], cluster: InsightProduced.ClusterAssignment? = nil,
                        text: String = "赎回太慢，我血压高，电话 [mobile]") -> InsightProduced {
        InsightProduced(
            insightId: id, transcriptId: "tr-\(interaction)", interactionId: interaction, customerId: customer, channel: .hotlineCall,
            businessLine: line, occurredAt: at(hours: hours), language: "zh", rulePackVersion: "test",
            utterances: [.init(speaker: .agent, text: "您好", sentiment: .init(label: "neutral", score: 0)),
                         .init(speaker: .customer, text: text, sentiment: .init(label: sentiment.0, score: sentiment.1))],
            pii: [.init(type: "mobile", value: "138 **** 5678", utteranceIndex: 1, start: 10, end: 21)],
            keywords: [.init(term: "赎回", weight: 1)], sentiment: .init(label: sentiment.0, score: sentiment.1),
            categories: [.init(id: category, score: 0.9)], compliance: compliance, profileFacts: facts, suitability: [],
            complaintRisk: risk, effort: 0.2, cluster: cluster, producedAt: at(hours: producedHours))
    }

    static var insights: [InsightProduced] {
        let hypertension = InsightProduced.ProfileFact(fact: "health.hypertension", evidence: "我血压高", utteranceIndex: 1,
                                                       confidence: 0.9, sensitive: true)
        let flying = InsightProduced.ProfileFact(fact: "travel.fear_of_flying", evidence: "我怕坐飞机", utteranceIndex: 1,
                                                 confidence: 0.8, sensitive: false)
        let diabetes = InsightProduced.ProfileFact(fact: "health.diabetes", evidence: "我有糖尿病", utteranceIndex: 1,
                                                   confidence: 0.9, sensitive: true)
        return [
            insight("ins-1", interaction: "i-1", customer: "C-A", line: "wealth", hours: 0, producedHours: 0.03,
                    category: "redemption_withdrawal", sentiment: ("negative", -0.7), risk: 0.8, facts: [hypertension, flying],
                    compliance: [.init(rule: "risk_disclosure_missing", utteranceIndex: nil, evidence: "not said")],
                    cluster: .init(id: "k-wealth-1", label: "赎回 到账", size: 1)),
            // The same contact analysed again by a newer rule pack: it replaces ins-1 in trends.
            insight("ins-1b", interaction: "i-1", customer: "C-A", line: "wealth", hours: 0, producedHours: 5,
                    category: "fees_interest", sentiment: ("negative", -0.5), risk: 0.6, facts: [hypertension, flying],
                    cluster: .init(id: "k-wealth-1", label: "赎回 到账", size: 2)),
            insight("ins-2", interaction: "i-2", customer: "C-A", line: "wealth", hours: 30, producedHours: 30.1,
                    category: "praise", sentiment: ("positive", 0.8), risk: 0.05, text: "谢谢，已经到账了"),
            insight("ins-3", interaction: "i-3", customer: odd, line: "credit_card", hours: 2, producedHours: 2.1,
                    category: "fees_interest", sentiment: ("negative", -0.6), risk: 0.4, facts: [diabetes],
                    cluster: .init(id: "k-card-1", label: "年费", size: 1), text: "我有糖尿病，年费请退回，电话 [mobile]"),
        ]
    }

    static func ticket(_ id: String, _ sequence: Int, _ kind: TicketEvent.Kind, _ status: TicketEvent.Status, customer: String,
                       department: String, hours: Double, interaction: String? = nil, due: Double? = nil) -> TicketEvent {
        TicketEvent(eventId: "\(id)-\(sequence)", ticketId: id, sequence: sequence, kind: kind, status: status, customerId: customer,
                    businessLine: "wealth", category: "redemption_withdrawal", department: department, priority: "high",
                    insightId: interaction.map { "ins-\($0)" }, interactionId: interaction, dueAt: due.map { at(hours: $0) },
                    occurredAt: at(hours: hours), resolutionCode: kind == .resolved ? "refunded" : nil)
    }

    static var tickets: [TicketEvent] {
        [
            ticket("tk-1", 1, .opened, .open, customer: "C-A", department: "wealth_ops", hours: 0.1, interaction: "i-1", due: 24),
            ticket("tk-1", 2, .slaBreached, .open, customer: "C-A", department: "wealth_ops", hours: 25, due: 24),
            ticket("tk-1", 3, .resolved, .resolved, customer: "C-A", department: "wealth_ops", hours: 26),
            ticket("tk-1", 4, .reopened, .reopened, customer: "C-A", department: "wealth_ops", hours: 30, interaction: "i-2", due: 60),
            ticket("tk-2", 1, .opened, .open, customer: odd, department: "card_operations", hours: 2.2, interaction: "i-3", due: 100_000),
        ]
    }

    static var notifications: [NotificationRequested] {
        [NotificationRequested(notificationId: "n-1", idempotencyKey: "k-1", recipient: .init(role: "relationship_manager", id: "rm-1"),
                               medium: .inbox, title: "客户来电", body: "客户反映赎回慢，电话 [mobile]", ticketId: "tk-1", customerId: "C-A",
                               requestedAt: at(hours: 0.2), interactionId: "i-1", kind: "owner_sync")]
    }

    static var deliveries: [NotificationDelivered] {
        [NotificationDelivered(deliveryId: "d-1", notificationId: "n-1", idempotencyKey: "k-1", recipientId: "rm-1", medium: .inbox,
                               outcome: .delivered, attempts: 1, deliveredAt: at(hours: 0.21))]
    }

    /// Every event, topic by topic in the order a topic holds them.
    static var events: [ProjectedEvent] {
        customers.map { ProjectedEvent(.customer($0), eventId: $0.updateId) }
            + interactions.map { ProjectedEvent(.interaction($0), eventId: $0.interactionId) }
            + transcripts.map { ProjectedEvent(.transcript($0), eventId: $0.transcriptId) }
            + insights.map { ProjectedEvent(.insight($0), eventId: $0.insightId) }
            + tickets.map { ProjectedEvent(.ticket($0), eventId: $0.eventId) }
            + notifications.map { ProjectedEvent(.notification($0), eventId: $0.notificationId) }
            + deliveries.map { ProjectedEvent(.delivery($0), eventId: $0.deliveryId) }
    }

    static func topic(of event: ProjectedEvent) -> Topic {
        switch event.payload {
        case .customer: .customerUpdated
        case .interaction: .interactionReceived
        case .transcript: .transcriptReady
        case .insight: .insightProduced
        case .ticket: .ticketEvent
        case .notification: .notificationRequested
        case .delivery: .notificationDelivered
        }
    }

    /// Every read-model row as JSON text, table by table, in a fixed order.
    static func snapshot(_ store: Store) async throws -> [String] {
        var rows: [String] = []
        for table in ReadModelRebuild.tables {
            rows += try await store.rows(
                SQL.unsafe("SELECT '\(table) ' || (to_jsonb(t) - 'projected_at')::text AS row FROM \(table) t ORDER BY 1"), as: String.self)
        }
        return rows
    }

    /// A fresh database with the projector's schema and its pool running.
    static func withStore(_ name: String, _ body: (Store) async throws -> Void) async throws {
        let store = Store(configuration: try TestPostgres.database(name), logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await store.run() }
            defer { tasks.cancelAll() }
            try await store.migrate(component: ProjectorApp.component, ProjectorApp.migrations())
            try await body(store)
        }
    }
}
