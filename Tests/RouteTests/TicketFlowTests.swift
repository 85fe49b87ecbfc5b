import Foundation
import Logging
import Route
import Testing
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// Route's state on a real PostgreSQL: tickets, repeat contacts, the life cycle with its
/// paused clock, owner sync and breach escalation. Events are read back from the outbox,
/// where route writes them in the same transaction as the state.
@Suite("Ticket flow on PostgreSQL", .serialized)
struct TicketFlowTests {
    struct Harness {
        let store: Store
        let books: RoutingBookStore
        let handler: RouteHandler
        let service: TicketService

        /// Events queued for `topic`, oldest first.
        func outbox<E: VOCEvent>(_ type: E.Type) async throws -> [E] {
            let values: [Data] = try await store.rows(
                "SELECT value FROM route_outbox WHERE topic = \(E.topic.rawValue) ORDER BY seq", as: Data.self)
            return try values.map { (value: Data) throws -> E in try JSONCoding.decode(E.self, from: [UInt8](value)) }
        }
    }

    /// A fresh database with route's schema, the bundled rules, and the pool running.
    static func withRoute(_ name: String, files: RoutingBook.Files? = nil, _ body: (Harness) async throws -> Void) async throws {
        let store = Store(configuration: try TestPostgres.database(name), logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await store.run() }
            defer { tasks.cancelAll() }
            try await store.migrate(component: RouteApp.component, RouteApp.migrations())
            let books = try RoutingBookStore(files: files ?? .bundled(), checkInterval: .zero, logger: testLogger)
            try await body(Harness(store: store, books: books, handler: RouteHandler(store: store, books: books, logger: testLogger),
                                 service: TicketService(store: store, books: books)))
        }
    }

    static let monday = BusinessClockTests.at("2025-11-17 11:00")

    @Test("one complaint, one ticket: a repeat contact attaches and raises the priority; a replay changes nothing")
    func repeatContact() async throws {
        try await Self.withRoute("repeat") { route in
            let first = try #require(try await route.handler.apply(makeInsight(id: "r1", categories: ["fees_interest"], occurredAt: Self.monday)))
            #expect(first.priority == "normal" && first.status == .open && first.department == "card_operations")
            let second = try #require(try await route.handler.apply(
                makeInsight(id: "r2", channel: .chat, categories: ["fees_interest"], occurredAt: Self.monday.addingTimeInterval(2 * 86_400))))
            #expect(second.ticketId == first.ticketId)
            #expect(second.repeatCount == 1 && second.priority == "high")
            // Higher priority, shorter target: the resolution time moves earlier.
            #expect(try #require(second.resolutionDueAt) < (try #require(first.resolutionDueAt)))
            let third = try #require(try await route.handler.apply(
                makeInsight(id: "r3", categories: ["fees_interest"], occurredAt: Self.monday.addingTimeInterval(3 * 86_400))))
            #expect(third.ticketId == first.ticketId && third.priority == "urgent" && third.repeatCount == 2)
            // The same insight again (a redelivery) is applied once.
            #expect(try await route.handler.apply(makeInsight(id: "r3", categories: ["fees_interest"])) == nil)
            // Another issue of the same customer is another ticket.
            let other = try #require(try await route.handler.apply(makeInsight(id: "r4", categories: ["account_access"], occurredAt: Self.monday)))
            #expect(other.ticketId != first.ticketId)

            let events = try await route.outbox(TicketEvent.self).filter { $0.ticketId == first.ticketId }
            #expect(events.map(\.kind) == [.opened, .repeatContact, .repeatContact])
            #expect(events.map(\.sequence) == [1, 2, 3])
            #expect(Set(events.map(\.eventId)).count == 3)

            // Resolved, then the customer comes back about it unhappy: the same ticket reopens.
            try await route.service.apply(.resolve(code: "refunded"), to: first.ticketId, at: Self.monday.addingTimeInterval(3.5 * 86_400))
            let after = try #require(try await route.handler.apply(
                makeInsight(id: "r5", categories: ["fees_interest"], occurredAt: Self.monday.addingTimeInterval(4 * 86_400))))
            #expect(after.ticketId == first.ticketId && after.status == .reopened && after.lastInsightId == "r5")
            #expect(try await route.store.rows("SELECT count(*) FROM tickets", as: Int.self) == [2])
        }
    }

    @Test("closed loop: resolving asks the customer; a positive answer confirms, silence closes after the window")
    func closedLoop() async throws {
        try await Self.withRoute("closedloop") { route in
            let sweeper = SLASweeper(store: route.store, books: route.books, logger: testLogger)
            let fees = try #require(try await route.handler.apply(makeInsight(id: "c1", categories: ["fees_interest"], occurredAt: Self.monday)))
            let access = try #require(try await route.handler.apply(makeInsight(id: "c2", customer: "C-2", categories: ["account_access"],
                                                                                occurredAt: Self.monday)))
            let resolvedAt = Self.monday.addingTimeInterval(3_600)
            try await route.service.apply(.resolve(code: "refunded"), to: fees.ticketId, at: resolvedAt)
            try await route.service.apply(.resolve(code: "password_reset"), to: access.ticketId, at: resolvedAt)
            let requests = try await route.outbox(NotificationRequested.self)
            #expect(requests.map(\.recipient) == [.init(role: "customer", id: "C-1"), .init(role: "customer", id: "C-2")])
            #expect(requests.map(\.ticketId) == [fees.ticketId, access.ticketId])

            // The customer's next contact is happy: confirmed, and no new ticket.
            let answered = try #require(try await route.handler.apply(
                makeInsight(id: "c3", categories: ["praise"], sentiment: "positive", occurredAt: Self.monday.addingTimeInterval(86_400))))
            #expect(answered.ticketId == fees.ticketId && answered.status == .confirmed)

            // The other customer never answers: still resolved after six days, closed after seven.
            #expect(try await sweeper.sweep(at: resolvedAt.addingTimeInterval(6 * 86_400)) == 0)
            #expect(try await route.service.ticket(access.ticketId)?.status == .resolved)
            #expect(try await sweeper.sweep(at: resolvedAt.addingTimeInterval(7 * 86_400 + 1)) == 1)
            #expect(try await route.service.ticket(access.ticketId)?.status == .closed)
            #expect(try await route.service.ticket(fees.ticketId)?.status == .confirmed)
            #expect(try await route.service.history(access.ticketId).map(\.kind) == [.opened, .resolved, .closed])
        }
    }

    @Test("life cycle: waiting on the customer pauses the clock, which resumes where it stopped; forbidden moves are refused")
    func lifecycleAndPause() async throws {
        try await Self.withRoute("lifecycle") { route in
            // A regulator threat goes to consumer protection, assigned to its team lead at once.
            let opened = try #require(try await route.handler.apply(
                makeInsight(id: "l1", categories: ["fees_interest"], risk: 0.9, signals: ["regulator_threat"], occurredAt: Self.monday)))
            #expect(opened.status == .assigned && opened.assigneeId == "cp-lead" && opened.priority == "urgent")
            #expect(opened.regulatoryDueAt == BusinessClockTests.at("2025-12-03 00:00"))
            // Urgent: 240 working minutes from Monday 11:00 on the office calendar → 16:00.
            #expect(opened.resolutionDueAt == BusinessClockTests.at("2025-11-17 16:00"))
            #expect(opened.slaProvisional == false)

            let started = try await route.service.apply(.start, to: opened.ticketId, at: BusinessClockTests.at("2025-11-17 11:30"))
            #expect(started.status == .inProgress && started.firstRespondedAt != nil)
            let waiting = try await route.service.apply(.waitOnCustomer, to: opened.ticketId, at: BusinessClockTests.at("2025-11-17 14:00"))
            #expect(waiting.status == .waitingOnCustomer && waiting.resolutionDueAt == nil)
            // The customer answers the next morning at 10:00; 2 working hours were left.
            let resumed = try await route.service.apply(.resume, to: opened.ticketId, at: BusinessClockTests.at("2025-11-18 10:00"))
            #expect(resumed.status == .inProgress)
            #expect(resumed.resolutionDueAt == BusinessClockTests.at("2025-11-18 12:00"))

            await #expect(throws: RouteError.self) {
                try await route.service.apply(.confirm, to: opened.ticketId)
            }
            await #expect(throws: RouteError.self) {
                try await route.service.apply(.assign("x"), to: opened.ticketId, expectedVersion: 1)
            }
            let resolved = try await route.service.apply(.resolve(code: "fee_refunded"), to: opened.ticketId)
            #expect(resolved.status == .resolved && resolved.resolutionCode == "fee_refunded")
            let reopened = try await route.service.apply(.reopen(reason: "not fixed"), to: opened.ticketId)
            #expect(reopened.status == .reopened)
            try await route.service.apply(.resolve(code: "fee_refunded"), to: opened.ticketId)
            try await route.service.apply(.confirm, to: opened.ticketId)
            let closed = try await route.service.apply(.close, to: opened.ticketId)
            #expect(closed.status == .closed)
            await #expect(throws: RouteError.self) {
                try await route.service.apply(.reopen(reason: "late"), to: opened.ticketId)
            }
            let history = try await route.service.history(opened.ticketId)
            #expect(history.map(\.kind) == [.opened, .assigned, .started, .waitingOnCustomer, .resumed, .resolved, .reopened,
                                             .resolved, .customerConfirmed, .closed])
            #expect(history.map(\.sequence) == Array(1...10))
        }
    }

    @Test("owner sync: the owner who did not serve is told, the one who served is not; consent is respected")
    func ownerSync() async throws {
        try await Self.withRoute("owners") { route in
            let owners = CustomerUpdated(updateId: "u1", customerId: "C-1", advisorId: "adv-1", relationshipManagerId: "rm-1",
                                         consents: .init(sensitiveProfile: false), updatedAt: Self.monday)
            try await route.handler.apply(owners, eventId: owners.updateId)
            let hypertension = InsightProduced.ProfileFact(fact: "health.hypertension", evidence: "血压高", utteranceIndex: 0,
                                                           confidence: 0.9, sensitive: true)
            let film = InsightProduced.ProfileFact(fact: "interest.film", evidence: "看电影", utteranceIndex: 0, confidence: 0.9, sensitive: false)
            let hotline = try await route.handler.apply(makeInsight(id: "o1", channel: .hotlineCall, categories: ["fees_interest"],
                                                                    facts: [hypertension, film]))
            try await route.handler.apply(makeInsight(id: "o2", channel: .advisorCall, categories: ["praise"], sentiment: "positive"))

            let sent = try await route.outbox(NotificationRequested.self)
            #expect(sent.map(\.recipient) == [.init(role: "advisor", id: "adv-1"), .init(role: "relationship_manager", id: "rm-1")])
            let first = try #require(sent.first)
            #expect(first.ticketId == hotline?.ticketId && first.ticketId != nil)
            #expect(first.categories == ["fees_interest"] && first.sentiment == "negative" && first.complaintRisk == 0.2)
            #expect(first.body.contains("interest.film") && !first.body.contains("hypertension"))
            #expect(sent.last?.ticketId == nil)

            // The customer withdraws consent to sharing: nobody is told.
            let withdrawn = CustomerUpdated(updateId: "u2", customerId: "C-1", consents: .init(ownerSync: false),
                                            updatedAt: Self.monday.addingTimeInterval(60))
            try await route.handler.apply(withdrawn, eventId: withdrawn.updateId)
            try await route.handler.apply(makeInsight(id: "o3", channel: .chat, categories: ["fees_interest"]))
            #expect(try await route.outbox(NotificationRequested.self).count == 2)
        }
    }

    @Test("SLA: a warning before the due time, escalation to the team lead on a breach and to the head at the regulatory deadline")
    func breachEscalates() async throws {
        try await Self.withRoute("breach") { route in
            let sweeper = SLASweeper(store: route.store, books: route.books, logger: testLogger)
            let ticket = try #require(try await route.handler.apply(
                makeInsight(id: "b1", categories: ["collection_conduct"], occurredAt: Self.monday)))
            #expect(ticket.department == "collections" && ticket.priority == "high")
            // High: 960 working minutes (two office days); warned at 80 %.
            #expect(ticket.resolutionDueAt == BusinessClockTests.at("2025-11-19 11:00"))
            #expect(try await sweeper.sweep(at: BusinessClockTests.at("2025-11-18 12:00")) == 0)
            #expect(try await sweeper.sweep(at: BusinessClockTests.at("2025-11-19 10:00")) == 1)
            #expect(try await sweeper.sweep(at: BusinessClockTests.at("2025-11-19 10:30")) == 0)
            #expect(try await sweeper.sweep(at: BusinessClockTests.at("2025-11-19 11:00")) == 1)
            let escalated = try #require(try await route.service.ticket(ticket.ticketId))
            #expect(escalated.status == .escalated && escalated.breached && escalated.escalationLevel == 1)
            #expect(try await sweeper.sweep(at: BusinessClockTests.at("2025-12-03 00:00")) == 1)
            #expect(try await sweeper.sweep(at: BusinessClockTests.at("2025-12-04 00:00")) == 0)

            let notices = try await route.outbox(NotificationRequested.self).filter { $0.ticketId == ticket.ticketId }
            #expect(notices.map(\.recipient.id) == ["cl-lead", "cl-lead", "cl-head"])
            #expect(notices.map(\.recipient.role) == ["manager", "manager", "manager"])
            let events = try await route.service.history(ticket.ticketId)
            #expect(events.map(\.kind) == [.opened, .slaBreached, .slaBreached])
            #expect(events.last?.status == .escalated)
        }
    }

    @Test("a year the holiday file lacks gives provisional due times, recomputed once the file gains the year")
    func provisionalRecomputed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("route-holidays-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundled = try RoutingBook.Files.bundled()
        let files = RoutingBook.Files(rules: bundled.rules, directory: bundled.directory, holidays: folder.appendingPathComponent("h.json"))
        let full = try JSONDecoder().decode(HolidayCalendar.File.self, from: Data(contentsOf: bundled.holidays))
        let through2025 = HolidayCalendar.File(
            source: full.source, years: [2024, 2025], holidays: full.holidays.filter { !$0.date.hasPrefix("2026") },
            workdays: full.workdays.filter { !$0.date.hasPrefix("2026") })
        try JSONEncoder().encode(through2025).write(to: files.holidays)

        try await Self.withRoute("provisional", files: files) { route in
            let sweeper = SLASweeper(store: route.store, books: route.books, logger: testLogger)
            // High priority, 16 working hours from Wednesday 30 September 2026, 10:00.
            let ticket = try #require(try await route.handler.apply(
                makeInsight(id: "p1", categories: ["collection_conduct"], occurredAt: BusinessClockTests.at("2026-09-30 10:00"))))
            #expect(ticket.slaProvisional)
            #expect(ticket.resolutionDueAt == BusinessClockTests.at("2026-10-02 10:00"))
            let now = BusinessClockTests.at("2026-09-30 10:30")
            #expect(try await sweeper.sweep(at: now) == 0)

            // The operator adds 2026: the National Day week (1–7 October) is off.
            try await Task.sleep(for: .milliseconds(20))
            try Data(contentsOf: bundled.holidays).write(to: files.holidays)
            #expect(try await sweeper.sweep(at: now) == 1)
            let recomputed = try #require(try await route.service.ticket(ticket.ticketId))
            #expect(!recomputed.slaProvisional)
            #expect(recomputed.resolutionDueAt == BusinessClockTests.at("2026-10-09 10:00"))
            let last = try #require(try await route.service.history(ticket.ticketId).last)
            #expect(last.kind == .commented && last.slaProvisional == false && last.dueAt == recomputed.resolutionDueAt)
        }
    }
}
