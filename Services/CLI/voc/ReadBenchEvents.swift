import Foundation
import VOCRuntime
import VOCSchema

/// The events of `voc bench read`'s projection phase: per contact an interaction, its
/// transcript and its insight (with a profile fact); every fifth contact opens a ticket and
/// moves it once; every tenth brings a CRM update and an owner notification with its outcome.
enum ReadBenchEvents {
    static func make(contacts: Int, publisher: EventPublisher) throws -> [EncodedEvent] {
        var events: [EncodedEvent] = []
        let base = Date()
        for index in 0..<contacts {
            let customer = "P-\(index % max(1, contacts / 10))"
            let id = "pi-\(index)"
            let at = base.addingTimeInterval(Double(index))
            if index % 10 == 0 {
                events.append(try publisher.encode(CustomerUpdated(updateId: "pu-\(index)", customerId: customer, advisorId: "adv-\(index % 50)",
                                                               relationshipManagerId: "rm-\(index % 30)", updatedAt: at)))
            }
            events.append(try publisher.encode(InteractionReceived(
                interactionId: id, customerId: customer, channel: .hotlineCall, businessLine: "wealth", occurredAt: at, receivedAt: at,
                utterances: [Utterance(speaker: .customer, text: "赎回到账太慢了")], agentId: "ag-\(index % 40)")))
            events.append(try publisher.encode(TranscriptReady(
                transcriptId: "pt-\(index)", interactionId: id, customerId: customer, channel: .hotlineCall, businessLine: "wealth",
                occurredAt: at, utterances: [.init(speaker: .customer, text: "赎回到账太慢了", confidence: 1)],
                engine: .init(name: "passthrough", version: "1"), producedAt: at)))
            events.append(try publisher.encode(InsightProduced(
                insightId: "pn-\(index)", transcriptId: "pt-\(index)", interactionId: id, customerId: customer, channel: .hotlineCall,
                businessLine: "wealth", occurredAt: at, language: "zh", rulePackVersion: "bench",
                utterances: [.init(speaker: .customer, text: "赎回到账太慢了，我血压高", sentiment: .init(label: "negative", score: -0.6))],
                pii: [], keywords: [.init(term: "赎回", weight: 1)], sentiment: .init(label: "negative", score: -0.6),
                categories: [.init(id: "redemption_withdrawal", score: 0.9)], compliance: [],
                profileFacts: [.init(fact: "health.hypertension", evidence: "我血压高", utteranceIndex: 0, confidence: 0.9, sensitive: true)],
                suitability: ["no_wine"], complaintRisk: 0.4, effort: 0.2,
                cluster: .init(id: "pk-\(index % 20)", label: "赎回 到账", size: index / 20 + 1), producedAt: at)))
            if index % 5 == 0 {
                for (sequence, kind, status) in [(1, TicketEvent.Kind.opened, TicketEvent.Status.open), (2, .assigned, .assigned)] {
                    events.append(try publisher.encode(TicketEvent(
                        eventId: "pe-\(index)-\(sequence)", ticketId: "ptk-\(index)", sequence: sequence, kind: kind, status: status,
                        customerId: customer, businessLine: "wealth", category: "redemption_withdrawal", department: "wealth_ops",
                        priority: "normal", insightId: "pn-\(index)", interactionId: id, dueAt: at.addingTimeInterval(86_400), occurredAt: at)))
                }
            }
            if index % 10 == 0 {
                events.append(try publisher.encode(NotificationRequested(
                    notificationId: "pno-\(index)", idempotencyKey: "pk-\(index)", recipient: .init(role: "advisor", id: "adv-\(index % 50)"),
                    medium: .inbox, title: "客户来电", body: "客户反映赎回慢", customerId: customer, requestedAt: at, interactionId: id)))
                events.append(try publisher.encode(NotificationDelivered(
                    deliveryId: "pd-\(index)", notificationId: "pno-\(index)", idempotencyKey: "pk-\(index)", recipientId: "adv-\(index % 50)",
                    medium: .inbox, outcome: .delivered, attempts: 1, deliveredAt: at)))
            }
        }
        return events
    }
}
