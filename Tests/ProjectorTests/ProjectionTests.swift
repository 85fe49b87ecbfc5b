import Foundation
import Projector
import Testing
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// The read models on a real PostgreSQL: each event applied once under redelivery, the
/// same state whatever the batching and the interleaving of topics, and no unredacted text.
@Suite("Read-model projections on PostgreSQL", .serialized)
struct ProjectionTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func apply(_ events: [ProjectedEvent], to store: Store, batch: Int) async throws {
        let writer = ReadModelWriter(store: store, timeZone: zone, logger: testLogger)
        var start = 0
        while start < events.count {
            let failures = try await writer.apply(Array(events[start..<min(start + batch, events.count)]))
            #expect(failures.isEmpty, "refused: \(failures.map { String(describing: $0.error) })")
            start += batch
        }
    }

    @Test("redelivered events change nothing; topics interleaved otherwise (per-key order kept) give the same state")
    func appliedOnce() async throws {
        var first: [String] = []
        try await ReadFixture.withStore("projonce") { store in
            try await Self.apply(ReadFixture.events, to: store, batch: 4)
            first = try await ReadFixture.snapshot(store)
            // Redelivery: everything again, in one batch, with a copy of each event inside it too.
            try await Self.apply(ReadFixture.events + ReadFixture.events, to: store, batch: 100)
            #expect(try await ReadFixture.snapshot(store) == first)

            let counts = try await store.rows(
                "SELECT contact_count, complaint_risk, max_complaint_risk, advisor_id, consent_marketing FROM customer_profiles WHERE customer_id = 'C-A'",
                as: Int.self, Double?.self, Double?.self, String?.self, Bool?.self)
            // Two contacts; the latest analysed one (ins-2) sets the risk; the partial CRM update kept the owner.
            #expect(counts.first?.0 == 2 && counts.first?.1 == 0.05 && counts.first?.2 == 0.8)
            #expect(counts.first?.3 == "adv-1" && counts.first?.4 == false)
            // The re-analysis replaced ins-1 in the trends: its category counts no longer.
            let trends = try await store.rows("SELECT category, contacts FROM trend_days WHERE business_line = 'wealth' ORDER BY category",
                                              as: String.self, Int.self)
            #expect(trends.map { "\($0.0)=\($0.1)" } == ["fees_interest=1", "praise=1"])
            #expect(try await store.rows("SELECT members FROM cluster_days WHERE cluster_id = 'k-wealth-1'", as: Int.self) == [1])
            let ticket = try await store.rows(
                "SELECT status, sequence, breached, reopen_count, resolution_code, interaction_id FROM ticket_queue WHERE ticket_id = 'tk-1'",
                as: String.self, Int.self, Bool.self, Int.self, String?.self, String?.self)
            #expect(ticket.first?.0 == "reopened" && ticket.first?.1 == 4 && ticket.first?.2 == true && ticket.first?.3 == 1)
            #expect(ticket.first?.4 == "refunded" && ticket.first?.5 == "i-1")
            let outcome = try await store.rows("SELECT outcome FROM customer_notifications WHERE notification_id = 'n-1'", as: String?.self)
            #expect(outcome == ["delivered"])
        }
        try await ReadFixture.withStore("projorder") { store in
            // Topics newest-first, each topic still in its own order (Kafka keeps a key's order).
            let topics = Dictionary(grouping: ReadFixture.events, by: { ReadFixture.topic(of: $0).rawValue })
            let reordered = topics.keys.sorted(by: >).flatMap { topics[$0] ?? [] }
            #expect(reordered.map(\.eventId) != ReadFixture.events.map(\.eventId))
            try await Self.apply(reordered, to: store, batch: 3)
            #expect(try await ReadFixture.snapshot(store) == first)
        }
    }

    @Test("no read model holds text the transcript had before analyze redacted it")
    func onlyRedactedText() async throws {
        try await ReadFixture.withStore("projredact") { store in
            try await Self.apply(ReadFixture.events, to: store, batch: 50)
            let rows = try await ReadFixture.snapshot(store)
            #expect(rows.count > 10)
            #expect(!rows.contains { $0.contains(ReadFixture.clearPhone) })
            #expect(rows.contains { $0.contains("[mobile]") })
        }
    }

    @Test("an event PostgreSQL cannot store is refused alone; the rest of its batch applies")
    func refusedAlone() async throws {
        try await ReadFixture.withStore("projrefuse") { store in
            var bad = ReadFixture.insights[3]
            bad.insightId = "ins-nul"
            bad.interactionId = "i-nul"
            bad.utterances[1].text = "bad \u{0000} text"
            let events = ReadFixture.events + [ProjectedEvent(.insight(bad), eventId: bad.insightId)]
            let writer = ReadModelWriter(store: store, timeZone: Self.zone, logger: testLogger)
            let failures = try await writer.apply(events)
            #expect(failures.map(\.event.eventId) == ["ins-nul"])
            #expect(try await store.rows("SELECT count(*)::int8 FROM timeline_entries", as: Int.self) == [3])
            // Not marked applied: a fixed copy would go in.
            #expect(try await store.rows("SELECT count(*)::int8 FROM applied_events WHERE event_id = 'ins-nul'", as: Int.self) == [0])
        }
    }
}
