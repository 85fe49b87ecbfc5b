import Foundation
import VOCSchema
import VOCStore

/// Every resolved ticket is followed until the customer answers: a confirmation request
/// goes out on `resolved`; the customer's next contact within the confirmation window
/// confirms it (positive) or reopens it (negative about the same category); silence
/// closes it when the window ends.
enum ClosedLoop {
    /// The request to the customer to confirm the resolution, on the customer's inbox.
    static func confirmationRequest(_ ticket: Ticket, book: RoutingBook) -> NotificationRequested {
        let key = "confirm:\(ticket.ticketId):\(ticket.version)"
        let days = Int(book.rules.confirmationWindow / 86_400)
        return NotificationRequested(
            notificationId: StableID.make("closed-loop", key), idempotencyKey: key,
            recipient: .init(role: "customer", id: ticket.customerId), medium: .inbox,
            title: "您反映的问题已处理，请确认是否解决",
            body: "ticket: \(ticket.ticketId)\nresolution: \(ticket.resolutionCode ?? "")\n"
                + "Reply to tell us whether it is fixed; without a reply the ticket closes in \(days) days.",
            ticketId: ticket.ticketId, customerId: ticket.customerId, requestedAt: ticket.resolvedAt ?? Date(),
            kind: "confirmation_request")
    }

    /// What `insight` does to `ticket` when it is the customer's answer to it: a positive
    /// contact confirms, a negative one reopens ("not fixed"); anything else answers
    /// nothing. A contact recognised only by customer and time must be about the
    /// ticket's category to reopen it; one that names the ticket (`replyTo`) need not.
    static func answer(_ insight: InsightProduced, to ticket: Ticket, explicit: Bool) -> (TicketAction, TicketEvent.Status)? {
        let action: TicketAction
        switch insight.sentiment.label {
        case "positive":
            action = .confirm
        case "negative" where explicit || insight.categories.contains(where: { $0.id == ticket.category }):
            action = .reopen(reason: "not fixed: the customer came back about it in \(insight.interactionId)")
        default:
            return nil
        }
        return TicketLifecycle.next(from: ticket.status, action).map { (action, $0) }
    }

    /// Closes resolved tickets whose confirmation window ended at `now` without an answer.
    static func closeUnanswered(at now: Date, book: RoutingBook, in transaction: StoreTransaction) async throws -> Int {
        let tickets = try await TicketRepository.unanswered(before: now.addingTimeInterval(-book.rules.confirmationWindow),
                                                           in: transaction)
        for var ticket in tickets {
            try await TicketService.perform(.close, on: &ticket, to: .closed, book: book, at: now, in: transaction)
        }
        return tickets.count
    }
}
