import Foundation
import Logging
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema

/// Sends one lane's batch of jobs and settles them together: a webhook endpoint or SMTP
/// relay gets up to `laneConcurrency` deliveries at once over reused connections, a robot
/// one at a time in order. The ends of the batch go to the ledger in one statement, their
/// outcomes to the broker in one batch, and their jobs are removed in one statement.
struct LaneRunner: Sendable {
    let jobs: JobQueue
    let ledger: DeliveryLedger
    let recipients: RecipientRepository
    let deliverer: Deliverer
    let digest: RobotDigest
    let publisher: EventPublisher
    let retry: RetryPolicy
    let settings: DispatchSettings
    let logger: Logger

    /// What a lane reports when its batch is done.
    struct Report: Sendable {
        var transientFailures = 0
        var succeeded = false
    }

    /// An attempt's end that is published: delivered, failed, or out of attempts.
    private struct Settled: Sendable {
        var job: DeliveryJob
        var ending: DeliveryLedger.Ending
        var deadLetter: Bool
    }

    func run(_ lane: String, _ batch: [DeliveryJob]) async -> Report {
        do {
            return try await send(lane, batch)
        } catch {
            // PostgreSQL or the broker failed: the jobs come back in a later round; the
            // ledger says which of them ended, and those are published, not sent, again.
            logger.warning("lane batch failed, its jobs will come back", metadata: [
                NotifyLogKey.lane: "\(lane)", LogKey.error: "\(error)",
            ])
            try? await jobs.release(batch.map(\.idempotencyKey))
            return Report()
        }
    }

    private func send(_ lane: String, _ batch: [DeliveryJob]) async throws -> Report {
        var report = Report()
        // Settled before (a crash after the ledger, before the queue was cleared): publish
        // the recorded outcome again and forget the job.
        let entries = try await ledger.entries(batch.map(\.idempotencyKey), on: ledger.store)
        var done: [DeliveryJob] = []
        var events: [(any VOCEvent, DeliveryJob)] = []
        var pending: [DeliveryJob] = []
        for job in batch {
            if let entry = entries[job.idempotencyKey], entry.status == .delivered || entry.status == .failed {
                events.append((entry.outcome(idempotencyKey: job.idempotencyKey), job))
                done.append(job)
            } else {
                pending.append(job)
            }
        }
        let found = try await recipients.find(pending.map(\.recipientId))
        let width = DeliveryJob.isSerial(lane) ? 1 : settings.laneConcurrency
        let attempts = await attempt(pending, recipients: found, width: width)

        var settled: [Settled] = []
        var unsent: [String] = []
        for (job, attempt) in zip(pending, attempts) {
            guard let attempt else {
                unsent.append(job.idempotencyKey)
                continue
            }
            let count = job.attempts + 1
            switch attempt.verdict {
            case .rateLimited:
                if let recipient = found[job.recipientId] {
                    try await digest.enqueue(job.request, recipient: recipient, message: job.message, attempts: count)
                }
                try await jobs.remove(job.idempotencyKey)
            case .delivered, .permanent, .gone:
                if attempt.verdict == .delivered { report.succeeded = true }
                settled.append(Settled(job: job, ending: .init(idempotencyKey: job.idempotencyKey,
                                                               status: attempt.verdict == .delivered ? .delivered : .failed,
                                                               attempts: count, via: job.deliveredVia, last: attempt),
                                       deadLetter: false))
            case .transient where count < retry.maxAttempts:
                report.transientFailures += 1
                try await jobs.reschedule(job.idempotencyKey, attempts: count,
                                          after: retry.delay(after: count, retryAfter: attempt.retryAfter))
            case .transient:
                report.transientFailures += 1
                settled.append(Settled(job: job, ending: .init(idempotencyKey: job.idempotencyKey, status: .exhausted,
                                                               attempts: count, via: job.deliveredVia, last: attempt),
                                       deadLetter: true))
            }
        }
        try? await jobs.release(unsent)

        // Ledger first, then the outcomes (and dead letters), then the jobs: a crash in
        // between leaves jobs whose ledger rows say how they ended, published again.
        try await ledger.finish(settled.map(\.ending), on: ledger.store)
        for item in settled {
            events.append((outcome(item), item.job))
            if item.deadLetter { events.append((deadLetter(item), item.job)) }
        }
        try await publish(events)
        try await jobs.remove(done.map(\.idempotencyKey) + settled.map(\.job.idempotencyKey))
        return report
    }

    /// One attempt per job, up to `width` at once; nil for a job left unsent (shutdown,
    /// or the lane reached its breaker's threshold).
    private func attempt(_ pending: [DeliveryJob], recipients: [String: Recipient], width: Int) async -> [Attempt?] {
        var results = [Attempt?](repeating: nil, count: pending.count)
        await withTaskGroup(of: (Int, Attempt?).self) { group in
            var next = 0
            var transient = 0
            func start() {
                guard next < pending.count, !Task.isShuttingDownGracefully, transient < settings.breakerThreshold else { return }
                let index = next
                let job = pending[index]
                next += 1
                group.addTask {
                    guard let recipient = recipients[job.recipientId] else {
                        return (index, .permanent("recipient \(job.recipientId) is not in the directory"))
                    }
                    do {
                        return (index, try await deliverer.once(job.request, medium: job.medium, recipient: recipient,
                                                                message: job.message))
                    } catch {
                        logger.warning("delivery attempt failed, will come back", metadata: [
                            NotifyLogKey.idempotencyKey: "\(job.idempotencyKey)", LogKey.error: "\(error)",
                        ])
                        return (index, nil)
                    }
                }
            }
            for _ in 0..<width { start() }
            while let finished = await group.next() {
                let (index, attempt) = finished
                results[index] = attempt
                if attempt?.verdict == .transient { transient += 1 }
                start()
            }
        }
        return results
    }

    private func outcome(_ item: Settled) -> NotificationDelivered {
        let job = item.job
        let ending = item.ending
        return LedgerEntry(
            notificationId: job.request.notificationId, deliveryId: DeliveryLedger.deliveryId(job.idempotencyKey),
            recipientId: job.request.recipient.id, medium: job.request.medium.rawValue, deliveredVia: job.deliveredVia,
            status: ending.status, attempts: ending.attempts, receiverStatus: ending.last.status,
            receiverAnswer: ending.last.answer, error: ending.last.error, finishedAt: Date()).outcome(idempotencyKey: job.idempotencyKey)
    }

    private func deadLetter(_ item: Settled) -> DeadLetter {
        let origin = item.job.origin
        return DeadLetter(
            stage: NotifyStage.stageName, originalTopic: origin.topic, partition: origin.partition, offset: origin.offset,
            key: origin.key, headers: origin.headers, value: origin.value, error: item.ending.last.error ?? "delivery failed",
            reason: .failed, attempts: item.ending.attempts, failedAt: Date())
    }

    /// Publishes the events of a batch together and waits for every acknowledgement.
    private func publish(_ events: [(any VOCEvent, DeliveryJob)]) async throws {
        guard !events.isEmpty else { return }
        var records: [ProducerRecord] = []
        for (event, job) in events {
            let key = event is DeadLetter ? job.origin.key : Array(job.request.recipient.id.utf8)
            records.append(try publisher.encode(event, traceparent: TraceContext.child(of: job.origin.traceparent), key: key).record)
        }
        let (receipt, refused) = publisher.enqueue(records)
        let failures = await receipt.delivered()
        if let failure = refused.values.first ?? failures.values.first { throw failure }
    }
}
