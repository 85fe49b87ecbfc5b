import Foundation
import Route
import Testing
import VOCKafka
import VOCSchema
import VOCStore

/// Route applies a polled batch in one transaction: the same outcome as one record at a
/// time, and an input that cannot be applied is dead-lettered instead of holding the rest.
@Suite("Route batches on PostgreSQL", .serialized)
struct RouteBatchTests {
    /// A record as the stage loop would hand it to the handler.
    static func record<E: VOCEvent>(_ event: E, offset: Int64) throws -> ConsumerRecord {
        let encoded = try EventCodec.encode(event, source: "/test/analyze")
        return ConsumerRecord(topic: E.topic.rawValue, partition: 0, offset: offset, key: encoded.key, value: encoded.value,
                              headers: encoded.headers.map { KafkaHeader(name: $0.name, string: $0.value) })
    }

    /// Runs `records` through the handler's batch hooks as one polled batch.
    static func poll(_ records: [ConsumerRecord], into handler: RouteHandler) async throws {
        try await handler.prepareBatch(records)
        for record in records { _ = try await handler.handle(record) }
        try await handler.finishBatch()
    }

    /// Tickets and outbox rows, in the order they were written.
    static func state(_ store: Store) async throws -> (tickets: [String], outbox: [String]) {
        let tickets = try await store.rows(
            "SELECT ticket_id || ' ' || status || ' ' || priority || ' ' || repeat_count || ' ' || version FROM tickets ORDER BY ticket_id",
            as: String.self)
        let outbox = try await store.rows("SELECT topic || ' ' || event_id FROM route_outbox ORDER BY seq", as: String.self)
        return (tickets, outbox)
    }

    @Test("a batch with several insights of one customer ends as one record at a time: the repeat contacts attach")
    func batchAsOneByOne() async throws {
        let monday = TicketFlowTests.monday
        let owners = CustomerUpdated(updateId: "u1", customerId: "C-1", advisorId: "adv-1", relationshipManagerId: "rm-1",
                                     updatedAt: monday)
        let insights = [
            makeInsight(id: "b1", categories: ["fees_interest"], occurredAt: monday),
            makeInsight(id: "b2", channel: .chat, categories: ["fees_interest"], occurredAt: monday.addingTimeInterval(2 * 86_400)),
            makeInsight(id: "b3", categories: ["account_access"], occurredAt: monday.addingTimeInterval(2 * 86_400)),
            makeInsight(id: "b4", categories: ["fees_interest"], occurredAt: monday.addingTimeInterval(3 * 86_400)),
        ]
        // The owners arrive in the same poll, before the insights; b2 is delivered twice.
        var records = [try Self.record(owners, offset: 0)]
        for (index, insight) in insights.enumerated() { records.append(try Self.record(insight, offset: Int64(index + 1))) }
        records.append(try Self.record(insights[1], offset: 5))

        var oneByOne: (tickets: [String], outbox: [String]) = ([], [])
        try await TicketFlowTests.withRoute("onebyone") { route in
            for record in records { try await Self.poll([record], into: route.handler) }
            oneByOne = try await Self.state(route.store)
        }
        try await TicketFlowTests.withRoute("batch") { route in
            try await Self.poll(records, into: route.handler)
            #expect(try await Self.state(route.store) == oneByOne)

            let fees = try await route.outbox(TicketEvent.self).filter { $0.category == "fees_interest" }
            #expect(fees.map(\.kind) == [.opened, .repeatContact, .repeatContact])
            #expect(Set(fees.map(\.ticketId)).count == 1)
            #expect(fees.last?.priority == "urgent")
            #expect(try await route.store.rows("SELECT count(*) FROM tickets", as: Int.self) == [2])
            // Every insight told the advisor, the owners being known from the same batch.
            let notices = try await route.outbox(NotificationRequested.self)
            #expect(notices.map(\.insightId) == ["b1", "b2", "b3", "b4"])
            #expect(notices.allSatisfy { $0.recipient == .init(role: "advisor", id: "adv-1") })
            #expect(try await route.store.rows(
                "SELECT count(*) FROM applied_events WHERE consumer = 'route.insights'", as: Int.self) == [4])

            // The whole batch again (a redelivery) changes nothing.
            try await Self.poll(records, into: route.handler)
            #expect(try await Self.state(route.store) == oneByOne)
        }
    }

    @Test("a batch that answers a resolved ticket, then opens and joins another, ends as one record at a time")
    func closedLoopInBatch() async throws {
        let monday = TicketFlowTests.monday
        let day = 86_400.0
        var answer = makeInsight(id: "q2", categories: ["praise"], sentiment: "positive", occurredAt: monday.addingTimeInterval(day))
        var records: [ConsumerRecord] = []
        var oneByOne: (tickets: [String], outbox: [String]) = ([], [])
        for (name, batched) in [("loop-onebyone", false), ("loop-batch", true)] {
            try await TicketFlowTests.withRoute(name) { route in
                let first = try #require(try await route.handler.apply(
                    makeInsight(id: "q1", categories: ["fees_interest"], occurredAt: monday)))
                try await route.service.apply(.resolve(code: "refunded"), to: first.ticketId, at: monday.addingTimeInterval(3_600))
                answer.replyTo = first.ticketId
                records = [
                    try Self.record(answer, offset: 0),
                    // Confirmed is settled: the same issue again opens a new ticket, and its repeat joins that one.
                    try Self.record(makeInsight(id: "q3", categories: ["fees_interest"], occurredAt: monday.addingTimeInterval(2 * day)), offset: 1),
                    try Self.record(makeInsight(id: "q4", categories: ["fees_interest"], occurredAt: monday.addingTimeInterval(3 * day)), offset: 2),
                ]
                if batched {
                    try await Self.poll(records, into: route.handler)
                    #expect(try await Self.state(route.store) == oneByOne)
                    #expect(try await route.service.ticket(first.ticketId)?.status == .confirmed)
                    let kinds = try await route.outbox(TicketEvent.self).map(\.kind)
                    #expect(kinds == [.opened, .resolved, .customerConfirmed, .opened, .repeatContact])
                } else {
                    for record in records { try await Self.poll([record], into: route.handler) }
                    oneByOne = try await Self.state(route.store)
                }
            }
        }
    }

    @Test("an insight whose application fails is dead-lettered through the outbox; the rest of its batch applies")
    func failingInsightDeadLettered() async throws {
        try await TicketFlowTests.withRoute("deadletter") { route in
            // A database that refuses one customer's tickets, every time.
            try await route.store.execute(
                """
                CREATE FUNCTION refuse_customer() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.customer_id = 'C-refused' THEN RAISE EXCEPTION 'tickets of C-refused are refused'; END IF;
                    RETURN NEW;
                END $$
                """)
            try await route.store.execute(
                "CREATE TRIGGER refuse_customer BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION refuse_customer()")
            let records = [
                try Self.record(makeInsight(id: "f1", customer: "C-1", categories: ["fees_interest"]), offset: 10),
                try Self.record(makeInsight(id: "f2", customer: "C-refused", categories: ["fees_interest"]), offset: 11),
                try Self.record(makeInsight(id: "f3", customer: "C-2", categories: ["fees_interest"]), offset: 12),
            ]
            try await Self.poll(records, into: route.handler)

            #expect(try await route.store.rows("SELECT customer_id FROM tickets ORDER BY customer_id", as: String.self) == ["C-1", "C-2"])
            #expect(try await route.store.rows(
                "SELECT event_id FROM applied_events WHERE consumer = 'route.insights' ORDER BY event_id", as: String.self) == ["f1", "f3"])
            let letters = try await route.outbox(DeadLetter.self)
            #expect(letters.count == 1)
            let letter = try #require(letters.first)
            #expect(letter.stage == "route" && letter.reason == .failed)
            #expect(letter.originalTopic == Topic.insightProduced.rawValue && letter.partition == 0 && letter.offset == 11)
            #expect(letter.value == Data(records[1].value).base64EncodedString())

            // Redelivered: the others are applied once, the failing one dead-lettered under the same id.
            try await Self.poll(records, into: route.handler)
            #expect(try await route.outbox(DeadLetter.self).count == 1)
            #expect(try await route.store.rows("SELECT count(*) FROM tickets", as: Int.self) == [2])

            // Once the cause is gone, replaying the dead letter's record applies it.
            try await route.store.execute("DROP TRIGGER refuse_customer ON tickets")
            try await Self.poll([records[1]], into: route.handler)
            #expect(try await route.store.rows("SELECT count(*) FROM tickets WHERE customer_id = 'C-refused'", as: Int.self) == [1])
        }
    }
}
