import Foundation
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema

/// `voc.notification.requested.v1` → delivery → `voc.notification.delivered.v1`.
///
/// The ledger is claimed before anything is sent: a request seen again after its end
/// publishes the recorded outcome again (same delivery id) and sends nothing. A template
/// that cannot render is dead-lettered; transient failures past the last attempt are
/// published as failed and dead-lettered, so `voc replay` can try them again.
struct NotifyStage: StageHandler {
    static let stageName = "notify"
    let ledger: DeliveryLedger
    let recipients: RecipientRepository
    let templates: TemplateBook
    let deliverer: Deliverer
    let digest: RobotDigest
    let publisher: EventPublisher

    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let (request, _) = try record.decode(NotificationRequested.self)
        let traceparent = TraceContext.child(of: record.header("traceparent"))
        let key = Array(request.recipient.id.utf8)
        func encode(_ outcome: NotificationDelivered) throws -> EncodedEvent {
            try publisher.encode(outcome, traceparent: traceparent, key: key)
        }

        let attemptsSoFar: Int
        switch try await ledger.claim(request) {
        case .queued:
            return []
        case .finished(let entry) where entry.notificationId == request.notificationId:
            return [try encode(entry.outcome(idempotencyKey: request.idempotencyKey))]
        case .finished(let entry):
            // Another notification with a key already used: told apart, not sent.
            return [try encode(NotificationDelivered(
                deliveryId: StableID.make("delivery-duplicate", request.notificationId), notificationId: request.notificationId,
                idempotencyKey: request.idempotencyKey, recipientId: request.recipient.id, medium: request.medium,
                outcome: .duplicate, attempts: max(1, entry.attempts),
                error: "idempotency key already used by notification \(entry.notificationId)", deliveredAt: Date()))]
        case .send(let sofar):
            attemptsSoFar = sofar
        }

        guard let recipient = try await recipients.find(request.recipient.id) else {
            let attempt = Attempt.permanent("recipient \(request.recipient.id) is not in the directory")
            return [try encode(try await finish(request, status: .failed, attempts: attemptsSoFar + 1, via: nil, last: attempt))]
        }
        let message: RenderedMessage
        do {
            message = try templates.render(
                MessageContext(title: request.title, body: request.body, kind: request.kind ?? "generic",
                               urgent: request.urgent ?? false, ticketId: request.ticketId, customerId: request.customerId,
                               recipientName: recipient.name),
                language: recipient.language)
        } catch {
            throw StageError.invalid(error.description)
        }

        let result = try await deliverer.deliver(request, to: recipient, message: message, attemptsSoFar: attemptsSoFar)
        let via = result.via?.rawValue
        switch result.last.verdict {
        case .delivered:
            return [try encode(try await finish(request, status: .delivered, attempts: result.attempts, via: via, last: result.last))]
        case .permanent, .gone:
            return [try encode(try await finish(request, status: .failed, attempts: result.attempts, via: via, last: result.last))]
        case .rateLimited:
            try await digest.enqueue(request, recipient: recipient, message: message, attempts: result.attempts)
            return []
        case .transient:
            let outcome = try await finish(request, status: .exhausted, attempts: result.attempts, via: via, last: result.last)
            let letter = DeadLetter(
                stage: Self.stageName, originalTopic: record.topic, partition: record.partition, offset: record.offset,
                key: record.key, headers: record.headerPairs, value: record.value,
                error: result.last.error ?? "delivery failed", reason: .failed, attempts: result.attempts, failedAt: Date())
            return [try encode(outcome), try publisher.encode(letter, traceparent: traceparent, key: record.key)]
        }
    }

    /// Records the end in the ledger and returns the outcome to publish.
    private func finish(_ request: NotificationRequested, status: LedgerEntry.Status, attempts: Int, via: String?,
                        last: Attempt) async throws -> NotificationDelivered {
        // A ledger that cannot be written leaves the row `sending` and the stage retries:
        // that sends again, which the stable webhook-id / Message-ID lets a receiver drop.
        try await ledger.finish(request.idempotencyKey, status: status, attempts: attempts, via: via, last: last, on: ledger.store)
        return NotificationDelivered(
            deliveryId: DeliveryLedger.deliveryId(request.idempotencyKey), notificationId: request.notificationId,
            idempotencyKey: request.idempotencyKey, recipientId: request.recipient.id, medium: request.medium,
            outcome: status == .delivered ? .delivered : .failed, attempts: max(1, attempts), error: last.error,
            deliveredAt: Date(), receiverStatus: last.status, receiverAnswer: last.answer,
            deliveredVia: via.map { NotificationRequested.Medium(rawValue: $0) })
    }
}
