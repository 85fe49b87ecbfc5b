import Foundation
import Route
import Testing
import VOCSchema
import VOCStore

/// What the channel says about a contact besides its words, on a real PostgreSQL: the
/// agent's first-contact resolution checked against their authority, and the customer's
/// answer that names the ticket it answers.
@Suite("First-contact resolution and replyTo on PostgreSQL", .serialized)
struct FirstContactTests {
    static let monday = TicketFlowTests.monday

    static func contact(_ id: String, customer: String = "C-1", categories: [String], sentiment: String = "negative",
                        agent: String? = "hl-agent-7", resolved: Bool? = nil, amount: Double? = nil, replyTo: String? = nil,
                        tier: String? = nil, at time: Date = monday) -> InsightProduced {
        var insight = makeInsight(id: id, customer: customer, categories: categories, sentiment: sentiment, occurredAt: time)
        insight.context = ContactContext(agentId: agent, replyTo: replyTo, resolvedInContact: resolved, amount: amount, customerTier: tier)
        return insight
    }

    @Test("within the agent's authority the ticket is resolved at first contact and the customer asked to confirm")
    func withinAuthority() async throws {
        try await TicketFlowTests.withRoute("fcr-within") { route in
            // A 200 yuan fee refund: every agent may settle fees up to 500.
            let ticket = try #require(try await route.handler.apply(
                Self.contact("w1", categories: ["fees_interest"], resolved: true, amount: 200)))
            #expect(ticket.status == .resolved && ticket.resolvedAtFirstContact && !ticket.approvalRequired)
            #expect(ticket.handledBy == "hl-agent-7" && ticket.resolutionCode == "resolved_at_first_contact")
            #expect(ticket.resolvedAt == Self.monday && ticket.firstRespondedAt == Self.monday)
            let history = try await route.service.history(ticket.ticketId)
            #expect(history.map(\.kind) == [.opened, .resolved])
            #expect(history.last?.resolvedAtFirstContact == true)
            #expect(history.last?.note?.contains("frontline-fee-refund") == true)
            let asked = try await route.outbox(NotificationRequested.self).filter { $0.kind == "confirmation_request" }
            #expect(asked.map(\.ticketId) == [ticket.ticketId])
            // Stored as it was returned.
            #expect(try await route.service.ticket(ticket.ticketId) == ticket)

            // A team lead of card operations may settle more than a frontline agent.
            let lead = try #require(try await route.handler.apply(
                Self.contact("w2", customer: "C-2", categories: ["fees_interest"], agent: "cd-lead", resolved: true, amount: 3_000)))
            #expect(lead.status == .resolved && lead.resolvedAtFirstContact)

            // The agent saying nothing about resolving it opens an ordinary ticket.
            let plain = try #require(try await route.handler.apply(
                Self.contact("w3", customer: "C-3", categories: ["fees_interest"], amount: 200)))
            #expect(plain.status == .open && !plain.resolvedAtFirstContact && plain.handledBy == nil)
        }
    }

    @Test("above the agent's authority the ticket waits for approval by the team lead; resolving it approves")
    func aboveAuthority() async throws {
        try await TicketFlowTests.withRoute("fcr-above") { route in
            let ticket = try #require(try await route.handler.apply(
                Self.contact("a1", categories: ["fees_interest"], resolved: true, amount: 1_200)))
            #expect(ticket.status == .assigned && ticket.approvalRequired && !ticket.resolvedAtFirstContact)
            #expect(ticket.assigneeId == "cd-lead" && ticket.handledBy == "hl-agent-7" && ticket.resolvedAt == nil)
            let history = try await route.service.history(ticket.ticketId)
            #expect(history.map(\.kind) == [.opened, .assigned])
            #expect(history.first?.approvalRequired == true)
            #expect(history.first?.note?.contains("approval required") == true)
            #expect(try await route.outbox(NotificationRequested.self).allSatisfy { $0.kind != "confirmation_request" })

            // A category no grant covers is above any agent's authority, whatever the amount.
            let other = try #require(try await route.handler.apply(
                Self.contact("a2", customer: "C-2", categories: ["collection_conduct"], resolved: true)))
            #expect(other.approvalRequired && other.assigneeId == "cl-lead")

            let approved = try await route.service.apply(.resolve(code: "refund_approved"), to: ticket.ticketId,
                                                         expectedVersion: ticket.version)
            #expect(approved.status == .resolved && approved.approvalRequired)
        }
    }

    @Test("replyTo: the answer confirms or reopens exactly the ticket it names, not the latest resolved one")
    func replyToNamesTheTicket() async throws {
        try await TicketFlowTests.withRoute("replyto") { route in
            let fees = try #require(try await route.handler.apply(Self.contact("r1", categories: ["fees_interest"])))
            let access = try #require(try await route.handler.apply(Self.contact("r2", categories: ["account_access"])))
            try await route.service.apply(.resolve(code: "refunded"), to: fees.ticketId, at: Self.monday.addingTimeInterval(3_600))
            try await route.service.apply(.resolve(code: "reset"), to: access.ticketId, at: Self.monday.addingTimeInterval(7_200))

            // Without a reference the latest resolved (access) would be taken; this one names fees.
            let confirmed = try #require(try await route.handler.apply(
                Self.contact("r3", categories: ["praise"], sentiment: "positive", replyTo: fees.ticketId,
                             at: Self.monday.addingTimeInterval(86_400))))
            #expect(confirmed.ticketId == fees.ticketId && confirmed.status == .confirmed)
            #expect(try await route.service.ticket(access.ticketId)?.status == .resolved)

            // "Not fixed", naming the access ticket while speaking of something else: it reopens.
            let reopened = try #require(try await route.handler.apply(
                Self.contact("r4", categories: ["service_quality"], replyTo: access.ticketId, at: Self.monday.addingTimeInterval(90_000))))
            #expect(reopened.ticketId == access.ticketId && reopened.status == .reopened && reopened.lastInsightId == "r4")
            #expect(try await route.store.rows("SELECT count(*) FROM tickets", as: Int.self) == [2])

            // Another customer's ticket named by mistake is not touched; the contact is an ordinary one.
            let stranger = try await route.handler.apply(
                Self.contact("r5", customer: "C-9", categories: ["praise"], sentiment: "positive", replyTo: fees.ticketId,
                             at: Self.monday.addingTimeInterval(95_000)))
            #expect(stranger == nil)
            #expect(try await route.service.ticket(fees.ticketId)?.status == .confirmed)
            #expect(try await route.service.history(fees.ticketId).map(\.kind) == [.opened, .resolved, .customerConfirmed])
        }
    }

    @Test("rules on customer tier and amount: a private-banking complaint and a large dispute go to consumer protection")
    func tierAndAmount() async throws {
        try await TicketFlowTests.withRoute("tier-amount") { route in
            let ordinary = try #require(try await route.handler.apply(Self.contact("t1", categories: ["fees_interest"], tier: "mass")))
            #expect(ordinary.department == "card_operations" && ordinary.ruleId == "card-and-fees")
            let privateClient = try #require(try await route.handler.apply(
                Self.contact("t2", customer: "C-2", categories: ["fees_interest"], tier: "private")))
            #expect(privateClient.department == "consumer_protection" && privateClient.ruleId == "private-banking-complaint")
            #expect(privateClient.priority == "high" && privateClient.regulatoryDueAt != nil)
            let large = try #require(try await route.handler.apply(
                Self.contact("t3", customer: "C-3", categories: ["fees_interest"], amount: 80_000)))
            #expect(large.ruleId == "large-amount-dispute" && large.department == "consumer_protection")
            let small = try #require(try await route.handler.apply(
                Self.contact("t4", customer: "C-4", categories: ["fees_interest"], amount: 49_999)))
            #expect(small.ruleId == "card-and-fees")
        }
    }
}
