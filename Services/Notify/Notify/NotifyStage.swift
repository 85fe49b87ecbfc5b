import Foundation
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

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
    let inbox: InboxRepository
    let jobs: JobQueue
    let smtp: SMTPSettings
    let publisher: EventPublisher

    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let (request, _) = try record.decode(NotificationRequested.self)
        let traceparent = TraceContext.child(of: record.header("traceparent"))
        // Rendered before anything is written, so a template that cannot render leaves no
        // trace but the dead letter.
        let recipient = try await recipients.find(request.recipient.id)
        var message: RenderedMessage?
        if let recipient {
            do {
                message = try templates.render(
                    MessageContext(title: request.title, body: request.body, kind: request.kind ?? "generic",
                                   urgent: request.urgent ?? false, ticketId: request.ticketId, customerId: request.customerId,
                                   recipientName: recipient.name),
                    language: recipient.language)
            } catch {
                throw StageError.invalid(error.description)
            }
        }
        // One transaction, so one commit, per request: the claim, and the job or the inbox
        // item with its outcome.
        let outcome = try await ledger.store.transaction { session -> NotificationDelivered? in
            try await take(request, recipient: recipient, message: message, record: record, traceparent: traceparent, on: session)
        }
        guard let outcome else { return [] }
        return [try publisher.encode(outcome, traceparent: traceparent, key: Array(request.recipient.id.utf8))]
    }

    private func take(_ request: NotificationRequested, recipient: Recipient?, message: RenderedMessage?, record: ConsumerRecord,
                      traceparent: String, on session: StoreTransaction) async throws -> NotificationDelivered? {
        let attemptsSoFar: Int
        switch try await ledger.claim(request, on: session) {
        case .queued:
            return nil
        case .finished(let entry) where entry.notificationId == request.notificationId:
            return entry.outcome(idempotencyKey: request.idempotencyKey)
        case .finished(let entry):
            // Another notification with a key already used: told apart, not sent.
            return NotificationDelivered(
                deliveryId: StableID.make("delivery-duplicate", request.notificationId), notificationId: request.notificationId,
                idempotencyKey: request.idempotencyKey, recipientId: request.recipient.id, medium: request.medium,
                outcome: .duplicate, attempts: max(1, entry.attempts),
                error: "idempotency key already used by notification \(entry.notificationId)", deliveredAt: Date())
        case .send(let sofar):
            attemptsSoFar = sofar
        }

        guard let recipient, let message else {
            let attempt = Attempt.permanent("recipient \(request.recipient.id) is not in the directory")
            return try await finish(request, status: .failed, attempts: attemptsSoFar + 1, via: nil, last: attempt, on: session)
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
                              value: record.value, headers: record.headerPairs, traceparent: traceparent)), on: session)
            return nil
        case .inbox:
            try await inbox.add(itemId: DeliveryLedger.deliveryId(request.idempotencyKey), recipientId: recipient.id,
                                kind: request.kind ?? "generic", title: message.title, body: message.text,
                                urgent: request.urgent ?? false, ticketId: request.ticketId, customerId: request.customerId,
                                on: session)
            return try await finish(request, status: .delivered, attempts: attemptsSoFar + 1, via: via,
                                    last: Attempt(verdict: .delivered), on: session)
        case .unknown(let raw):
            return try await finish(request, status: .failed, attempts: attemptsSoFar + 1, via: nil,
                                    last: .permanent("medium \(raw) is not one this build delivers"), on: session)
        }
    }

    /// Records the end in the ledger and returns the outcome to publish.
    private func finish(_ request: NotificationRequested, status: LedgerEntry.Status, attempts: Int, via: String?,
                        last: Attempt, on session: StoreTransaction) async throws -> NotificationDelivered {
        try await ledger.finish(request.idempotencyKey, status: status, attempts: attempts, via: via, last: last, on: session)
        return NotificationDelivered(
            deliveryId: DeliveryLedger.deliveryId(request.idempotencyKey), notificationId: request.notificationId,
            idempotencyKey: request.idempotencyKey, recipientId: request.recipient.id, medium: request.medium,
            outcome: status == .delivered ? .delivered : .failed, attempts: max(1, attempts), error: last.error,
            deliveredAt: Date(), receiverStatus: last.status, receiverAnswer: last.answer,
            deliveredVia: via.map { NotificationRequested.Medium(rawValue: $0) })
    }
}
