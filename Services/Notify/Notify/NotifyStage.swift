import Foundation
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema

/// `voc.notification.requested.v1` → delivery → `voc.notification.delivered.v1`.
///
/// The ledger is claimed before anything is sent: a request seen again after its end
/// publishes the recorded outcome again (same delivery id) and sends nothing. A template
/// that cannot render is dead-lettered. Network deliveries are rendered here and handed
/// to the ``Dispatcher`` through `notify_jobs`; it publishes their outcomes.
struct NotifyStage: StageHandler {
    static let stageName = "notify"
    let ledger: DeliveryLedger
    let recipients: RecipientRepository
    let templates: TemplateBook
    let deliverer: Deliverer
    let jobs: JobQueue
    let smtp: SMTPSettings
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

        // The in-app inbox is a row in this database: written now. Everything that goes
        // over the network waits in its endpoint's lane, so the stage never waits on one.
        let medium = Deliverer.medium(for: request, recipient: recipient, at: Date())
        let via = medium == request.medium ? nil : medium.rawValue
        switch medium {
        case .webhook, .wecom, .dingtalk, .email:
            try await jobs.add(DeliveryJob(
                idempotencyKey: request.idempotencyKey, lane: DeliveryJob.lane(medium: medium, recipient: recipient, smtp: smtp),
                medium: medium, deliveredVia: via, recipientId: recipient.id, request: request, message: message,
                attempts: attemptsSoFar,
                origin: .init(topic: record.topic, partition: record.partition, offset: record.offset, key: record.key,
                              value: record.value, headers: record.headerPairs, traceparent: traceparent)))
            return []
        case .inbox, .unknown:
            let attempt = try await deliverer.once(request, medium: medium, recipient: recipient, message: message)
            let status: LedgerEntry.Status = attempt.verdict == .delivered ? .delivered : .failed
            return [try encode(try await finish(request, status: status, attempts: attemptsSoFar + 1, via: via, last: attempt))]
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
