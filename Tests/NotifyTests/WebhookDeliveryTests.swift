import Foundation
import Testing
import VOCKafka
import VOCSchema
import VOCServiceTestSupport

/// Webhooks to a real receiver that verifies with the PyPI `standardwebhooks` library.
@Suite("Notify webhooks", .serialized)
struct WebhookDeliveryTests {
    @Test("signed webhook verified by standardwebhooks; consumed twice, sent once; a rotated secret still verifies")
    func deliveredOnce() async throws {
        let harness = try await NotifyHarness(name: "webhook")
        defer { harness.cleanUp() }
        let request = try notificationRequest(id: "n-hook-1", recipient: "CRM", medium: "webhook", kind: "escalation")
        try await harness.request(request, request)
        try await harness.request(try notificationRequest(id: "n-hook-2", recipient: "CRM-ROTATING", medium: "webhook"))
        try await harness.run { _ in
            // Consumed twice: one delivery. Both copies usually come in one poll while the
            // delivery is pending (one outcome); on a busy machine the second may come in a poll
            // of its own after the delivery ended, and then repeats the recorded outcome.
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 3, seconds: 5)
            let firsts = delivered.filter { $0.notificationId == "n-hook-1" }
            #expect((1...2).contains(firsts.count) && delivered.count == firsts.count + 1)
            let first = try #require(firsts.first)
            #expect(first.outcome == .delivered && first.receiverStatus == 200 && first.attempts == 1)
            #expect(firsts.allSatisfy { $0.deliveryId == first.deliveryId && $0.outcome == .delivered })
            let rotated = try #require(delivered.first { $0.notificationId == "n-hook-2" })
            #expect(rotated.outcome == .delivered)
            // Consumed again after it ended: the recorded outcome again, nothing sent.
            try await harness.request(request)
            let again = try await outcomes(bootstrap: harness.broker.bootstrap, count: delivered.count + 1)
            #expect(again.count == delivered.count + 1)
            #expect(again.filter { $0.notificationId == "n-hook-1" }.map(\.deliveryId) == Array(repeating: first.deliveryId, count: firsts.count + 1))

            let hooks = try await harness.receivers.log(kind: "webhook")
            let verified = hooks.filter { $0["verified"] as? Bool == true }
            #expect(hooks.count == 2 && verified.count == 2)
            // Both bodies match docs/notify-webhook.v1.schema.json (checked with jsonschema).
            #expect(verified.allSatisfy { ($0["schemaProblems"] as? [String]) == [] })
            let crm = try #require(verified.first { $0["mode"] as? String == "ok" })
            let headers = try #require(crm["headers"] as? [String: String])
            #expect(headers["webhook-id"]?.hasPrefix("msg_") == true)
            let payload = try #require(crm["payload"] as? [String: Any])
            #expect(payload["type"] as? String == "notification.requested")
            let data = try #require(payload["data"] as? [String: Any])
            #expect(data["idempotencyKey"] as? String == "key-n-hook-1" && data["kind"] as? String == "escalation")
            let old = try #require(verified.first { $0["mode"] as? String == "old" })
            #expect(((old["headers"] as? [String: String])?["webhook-signature"]?.split(separator: " ").count) == 2)
        }
    }

    @Test("500 is retried with backoff then published failed and dead-lettered; 503 then 200 is delivered; 410 disables; 422 and an unknown recipient fail at once")
    func failures() async throws {
        let harness = try await NotifyHarness(name: "webhookfail")
        defer { harness.cleanUp() }
        try await harness.request(
            try notificationRequest(id: "n-down", recipient: "DOWN", medium: "webhook"),
            try notificationRequest(id: "n-flaky", recipient: "FLAKY", medium: "webhook"),
            try notificationRequest(id: "n-gone-1", recipient: "GONE", medium: "webhook"),
            try notificationRequest(id: "n-picky", recipient: "PICKY", medium: "webhook"),
            try notificationRequest(id: "n-nobody", recipient: "NOBODY", medium: "webhook"))
        try await harness.run { _ in
            _ = try await outcomes(bootstrap: harness.broker.bootstrap, count: 5)
            // Asked for once the 410 has been seen (deliveries of one lane may be in flight
            // together, so one sent alongside it would have met the 410 itself).
            try await harness.request(try notificationRequest(id: "n-gone-2", recipient: "GONE", medium: "webhook"))
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 6)
            let byId = Dictionary(delivered.map { ($0.notificationId, $0) }, uniquingKeysWith: { first, _ in first })
            let down = try #require(byId["n-down"])
            #expect(down.outcome == .failed && down.attempts == 3 && down.receiverStatus == 500)
            #expect(down.receiverAnswer?.contains("down") == true)
            let flaky = try #require(byId["n-flaky"])
            #expect(flaky.outcome == .delivered && flaky.attempts == 3)
            let gone = try #require(byId["n-gone-1"])
            #expect(gone.outcome == .failed && gone.attempts == 1 && gone.receiverStatus == 410)
            let afterGone = try #require(byId["n-gone-2"])
            #expect(afterGone.outcome == .failed && afterGone.receiverStatus == nil && afterGone.error?.contains("disabled") == true)
            let picky = try #require(byId["n-picky"])
            #expect(picky.outcome == .failed && picky.attempts == 1 && picky.receiverStatus == 422)
            let nobody = try #require(byId["n-nobody"])
            #expect(nobody.outcome == .failed && nobody.error?.contains("not in the directory") == true)

            let letters = try await readTopic(.deadLetter, bootstrap: harness.broker.bootstrap, count: 1)
            let letter = try #require(letters.first).decode(DeadLetter.self).0
            #expect(letter.originalTopic == Topic.notificationRequested.rawValue && letter.attempts == 3)
            #expect(letter.valueText?.contains("n-down") == true)

            let hooks = try await harness.receivers.log(kind: "webhook")
            #expect(hooks.filter { $0["mode"] as? String == "fail500" }.count == 3)
            #expect(hooks.filter { $0["mode"] as? String == "gone" }.count == 1)
            #expect(hooks.filter { $0["mode"] as? String == "flaky" }.count == 3)
            // The same webhook-id on every attempt, so the receiver can drop repeats.
            let flakyIds = Set(hooks.filter { $0["mode"] as? String == "flaky" }.compactMap { ($0["headers"] as? [String: String])?["webhook-id"] })
            #expect(flakyIds.count == 1)
        }
    }

    @Test("a slow endpoint holds up only its own lane: deliveries to others go out meanwhile")
    func slowEndpoint() async throws {
        let harness = try await NotifyHarness(name: "slow")
        defer { harness.cleanUp() }
        try await harness.request(try notificationRequest(id: "n-slow", recipient: "SLOW", medium: "webhook"))
        for index in 1...3 {
            try await harness.request(try notificationRequest(id: "n-fast-\(index)", recipient: "CRM", medium: "webhook"))
        }
        try await harness.run { _ in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 4)
            #expect(delivered.count == 4 && delivered.allSatisfy { $0.outcome == .delivered })
            let slow = try #require(delivered.first { $0.notificationId == "n-slow" })
            let fast = delivered.filter { $0.notificationId.hasPrefix("n-fast-") }
            #expect(fast.count == 3)
            // The slow receiver answers after 1.5 s; the others were done before it. (No
            // margin: on a busy machine the fast ones may take most of that time too, and in
            // one lane they could only finish after the slow one.)
            for outcome in fast { #expect(outcome.deliveredAt < slow.deliveredAt) }
            let hooks = try await harness.receivers.log(kind: "webhook")
            let slowAt = try #require(hooks.first { $0["mode"] as? String == "slow" }?["at"] as? Double)
            let fastAt = hooks.filter { $0["mode"] as? String == "ok" }.compactMap { $0["at"] as? Double }
            #expect(fastAt.count == 3 && fastAt.allSatisfy { $0 < slowAt })
        }
    }

    @Test("a template that cannot render is dead-lettered, never sent empty")
    func badTemplate() async throws {
        let harness = try await NotifyHarness(name: "badtemplate", templates: ["broken.zh.md.mustache": "{{#title}} never closed"])
        defer { harness.cleanUp() }
        try await harness.request(try notificationRequest(id: "n-broken", recipient: "A1", medium: "wecom", kind: "broken"),
                                  try notificationRequest(id: "n-after", recipient: "CRM", medium: "webhook"))
        try await harness.run { _ in
            let letters = try await readTopic(.deadLetter, bootstrap: harness.broker.bootstrap, count: 1)
            let letter = try #require(letters.first).decode(DeadLetter.self).0
            #expect(letter.reason == .invalid && letter.error.contains("broken.zh.md.mustache"))
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 1)
            #expect(delivered.map(\.notificationId) == ["n-after"])
            #expect(try await harness.receivers.log(kind: "wecom").isEmpty)
        }
    }
}
