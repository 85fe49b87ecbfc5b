import Foundation
import VOCKafka
import VOCSchema
import VOCStore

/// The work of one transaction of the notify stage: the deliveries of a polled batch
/// claimed in the ledger, and their jobs, inbox items and ledger ends written, each kind
/// in one set-based statement.
struct NotifyBatch: Sendable {
    let store: Store
    let ledger: DeliveryLedger
    let jobs: JobQueue
    let inbox: InboxRepository
    let smtp: SMTPSettings

    /// One request to one recipient, rendered (no message: the recipient is unknown).
    struct Delivery: Sendable {
        var request: NotificationRequested
        var recipient: Recipient?
        var message: RenderedMessage?
        /// Why there is nobody to deliver to, when the request named a department.
        var missing: String?
        var record: ConsumerRecord
        var traceparent: String
    }

    struct Result: Sendable {
        /// One entry per delivery, in order: the outcome to publish now, if any.
        var outcomes: [NotificationDelivered?]
        var jobsAdded: Bool
    }

    /// What the batch has done with a key so far, so that a key seen twice in one batch
    /// is treated as it would be in two batches one after another.
    private enum State {
        case claim(DeliveryLedger.Claim)
        case waiting
    }

    func apply(_ deliveries: [Delivery], at now: Date, in transaction: StoreTransaction) async throws -> Result {
        var firsts: [String: NotificationRequested] = [:]
        var order: [NotificationRequested] = []
        for delivery in deliveries where firsts[delivery.request.idempotencyKey] == nil {
            firsts[delivery.request.idempotencyKey] = delivery.request
            order.append(delivery.request)
        }
        var states = try await ledger.claim(order, on: transaction).mapValues { State.claim($0) }
        var outcomes: [NotificationDelivered?] = []
        var newJobs: [DeliveryJob] = []
        var items: [InboxRepository.NewItem] = []
        var endings: [DeliveryLedger.Ending] = []

        func finish(_ request: NotificationRequested, status: LedgerEntry.Status, attempts: Int, via: String?,
                    last: Attempt) -> NotificationDelivered {
            endings.append(.init(idempotencyKey: request.idempotencyKey, status: status, attempts: attempts, via: via, last: last))
            let entry = LedgerEntry(
                notificationId: request.notificationId, deliveryId: DeliveryLedger.deliveryId(request.idempotencyKey),
                recipientId: request.recipient.id, medium: request.medium.rawValue, deliveredVia: via, status: status,
                attempts: max(1, attempts), receiverStatus: last.status, receiverAnswer: last.answer, error: last.error,
                finishedAt: now)
            states[request.idempotencyKey] = .claim(.finished(entry))
            return entry.outcome(idempotencyKey: request.idempotencyKey)
        }

        for delivery in deliveries {
            let request = delivery.request
            let attemptsSoFar: Int
            switch states[request.idempotencyKey] {
            case .waiting?, .claim(.queued)?:
                outcomes.append(nil)
                continue
            case .claim(.finished(let entry))? where entry.notificationId == request.notificationId:
                outcomes.append(entry.outcome(idempotencyKey: request.idempotencyKey))
                continue
            case .claim(.finished(let entry))?:
                // Another notification with a key already used: told apart, not sent.
                outcomes.append(NotificationDelivered(
                    deliveryId: StableID.make("delivery-duplicate", request.notificationId), notificationId: request.notificationId,
                    idempotencyKey: request.idempotencyKey, recipientId: request.recipient.id, medium: request.medium,
                    outcome: .duplicate, attempts: max(1, entry.attempts),
                    error: "idempotency key already used by notification \(entry.notificationId)", deliveredAt: now))
                continue
            case .claim(.send(let sofar))?:
                attemptsSoFar = sofar
            case nil:
                attemptsSoFar = 0
            }

            guard let recipient = delivery.recipient, let message = delivery.message else {
                let reason = delivery.missing ?? "recipient \(request.recipient.id) is not in the directory"
                outcomes.append(finish(request, status: .failed, attempts: attemptsSoFar + 1, via: nil, last: .permanent(reason)))
                continue
            }
            // The in-app inbox is a row in this database: written now. Everything that goes
            // over the network waits in its endpoint's lane, so the stage never waits on one.
            let medium = Deliverer.medium(for: request, recipient: recipient, at: now)
            let via = medium == request.medium ? nil : medium.rawValue
            switch medium {
            case .webhook, .wecom, .dingtalk, .email:
                let record = delivery.record
                newJobs.append(DeliveryJob(
                    idempotencyKey: request.idempotencyKey, lane: DeliveryJob.lane(medium: medium, recipient: recipient, smtp: smtp),
                    medium: medium, deliveredVia: via, recipientId: recipient.id, request: request, message: message,
                    attempts: attemptsSoFar,
                    origin: .init(topic: record.topic, partition: record.partition, offset: record.offset, key: record.key,
                                  value: record.value, headers: record.headerPairs, traceparent: delivery.traceparent)))
                states[request.idempotencyKey] = .waiting
                outcomes.append(nil)
            case .inbox:
                items.append(.init(itemId: DeliveryLedger.deliveryId(request.idempotencyKey), recipientId: recipient.id,
                                   kind: request.kind ?? "generic", title: message.title, body: message.text,
                                   urgent: request.urgent ?? false, ticketId: request.ticketId, customerId: request.customerId))
                outcomes.append(finish(request, status: .delivered, attempts: attemptsSoFar + 1, via: via,
                                       last: Attempt(verdict: .delivered)))
            case .unknown(let raw):
                outcomes.append(finish(request, status: .failed, attempts: attemptsSoFar + 1, via: nil,
                                       last: .permanent("medium \(raw) is not one this build delivers")))
            }
        }
        try await jobs.add(newJobs, on: transaction)
        try await inbox.add(items, on: transaction)
        try await ledger.finish(endings, on: transaction)
        return Result(outcomes: outcomes, jobsAdded: !newJobs.isEmpty)
    }
}
