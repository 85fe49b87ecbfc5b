import Foundation
import Logging
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema

/// Sends the stored jobs: one lane per endpoint, lanes side by side (at most
/// `maxLanes`), deliveries of a lane in order. A slow or dead endpoint holds up only its
/// own lane; its circuit breaker stops it being tried for every waiting delivery.
struct Dispatcher: Service {
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
    private struct LaneReport: Sendable {
        var lane: String
        var transientFailures: Int
        var succeeded: Bool
    }

    func run() async throws {
        var breaker = CircuitBreaker(threshold: settings.breakerThreshold, cooldown: settings.breakerCooldown)
        var busy: Set<String> = []
        await withTaskGroup(of: LaneReport?.self) { group in
            group.addTask { nil }
            while let report = await group.next() {
                if let report {
                    busy.remove(report.lane)
                    breaker.record(report.lane, transientFailures: report.transientFailures, succeeded: report.succeeded)
                    continue
                }
                // The ticker came round: lease what is due and start its lanes.
                if Task.isShuttingDownGracefully || Task.isCancelled { continue }
                do {
                    let room = settings.maxLanes - busy.count
                    let due = room > 0 ? try await jobs.lease(excluding: Array(busy) + breaker.openLanes(), limit: room * 8) : []
                    var lanes: [String: [DeliveryJob]] = [:]
                    var order: [String] = []
                    for job in due {
                        if lanes[job.lane] == nil { order.append(job.lane) }
                        lanes[job.lane, default: []].append(job)
                    }
                    for lane in order {
                        let leased = lanes[lane] ?? []
                        // A lane takes at most `laneBatch` jobs a round, so it is done with
                        // them well within their lease; the rest, and lanes without room,
                        // give their lease back at once.
                        let batch = busy.count < settings.maxLanes ? Array(leased.prefix(settings.laneBatch)) : []
                        try? await jobs.release(leased.dropFirst(batch.count).map(\.idempotencyKey))
                        guard !batch.isEmpty else { continue }
                        busy.insert(lane)
                        group.addTask { await self.runLane(lane, batch) }
                    }
                } catch {
                    logger.warning("dispatcher could not lease jobs", metadata: [LogKey.error: "\(error)"])
                }
                group.addTask {
                    try? await Task.sleep(for: settings.pollInterval)
                    return nil
                }
            }
        }
    }

    private func runLane(_ lane: String, _ batch: [DeliveryJob]) async -> LaneReport {
        var report = LaneReport(lane: lane, transientFailures: 0, succeeded: false)
        for (index, job) in batch.enumerated() {
            if Task.isShuttingDownGracefully || report.transientFailures >= settings.breakerThreshold {
                // Left for the next round (or the breaker): the lease is given back.
                try? await jobs.release(batch[index...].map(\.idempotencyKey))
                break
            }
            do {
                let verdict = try await send(job)
                if verdict == .transient { report.transientFailures += 1 } else if verdict == .delivered { report.succeeded = true }
            } catch {
                // PostgreSQL or the broker failed: the lease runs out and the job comes back.
                logger.warning("delivery job failed, will come back", metadata: [
                    NotifyLogKey.idempotencyKey: "\(job.idempotencyKey)", LogKey.error: "\(error)",
                ])
            }
        }
        return report
    }

    /// One attempt at one job, and what follows from it.
    func send(_ job: DeliveryJob) async throws -> Attempt.Verdict {
        // Settled before (a crash after the ledger, before the queue was cleared): publish
        // the recorded outcome again and forget the job.
        if let entry = try await ledger.entry(job.idempotencyKey), entry.status == .delivered || entry.status == .failed {
            try await publish([entry.outcome(idempotencyKey: job.idempotencyKey)], job: job)
            try await jobs.remove(job.idempotencyKey)
            return entry.status == .delivered ? .delivered : .permanent
        }
        let attempts = job.attempts + 1
        let attempt: Attempt
        if let recipient = try await recipients.find(job.recipientId) {
            attempt = try await deliverer.once(job.request, medium: job.medium, recipient: recipient, message: job.message)
            if attempt.verdict == .rateLimited {
                try await digest.enqueue(job.request, recipient: recipient, message: job.message, attempts: attempts)
                try await jobs.remove(job.idempotencyKey)
                return .rateLimited
            }
        } else {
            attempt = .permanent("recipient \(job.recipientId) is not in the directory")
        }
        switch attempt.verdict {
        case .delivered, .permanent, .gone, .rateLimited:
            let status: LedgerEntry.Status = attempt.verdict == .delivered ? .delivered : .failed
            try await settle(job, status: status, attempts: attempts, last: attempt, deadLetter: false)
        case .transient where attempts < retry.maxAttempts:
            try await jobs.reschedule(job.idempotencyKey, attempts: attempts,
                                      after: retry.delay(after: attempts, retryAfter: attempt.retryAfter))
        case .transient:
            try await settle(job, status: .exhausted, attempts: attempts, last: attempt, deadLetter: true)
        }
        return attempt.verdict
    }

    /// Ledger first, then the outcome (and dead letter), then the job: a crash in between
    /// leaves a job whose ledger row says how it ended, and it is published again.
    private func settle(_ job: DeliveryJob, status: LedgerEntry.Status, attempts: Int, last: Attempt, deadLetter: Bool) async throws {
        try await ledger.finish(job.idempotencyKey, status: status, attempts: attempts, via: job.deliveredVia, last: last,
                                on: ledger.store)
        let outcome = LedgerEntry(
            notificationId: job.request.notificationId, deliveryId: DeliveryLedger.deliveryId(job.idempotencyKey),
            recipientId: job.request.recipient.id, medium: job.request.medium.rawValue, deliveredVia: job.deliveredVia,
            status: status, attempts: attempts, receiverStatus: last.status, receiverAnswer: last.answer, error: last.error,
            finishedAt: Date()).outcome(idempotencyKey: job.idempotencyKey)
        var events = [outcome] as [any VOCEvent]
        if deadLetter {
            events.append(DeadLetter(
                stage: NotifyStage.stageName, originalTopic: job.origin.topic, partition: job.origin.partition,
                offset: job.origin.offset, key: job.origin.key, headers: job.origin.headers, value: job.origin.value,
                error: last.error ?? "delivery failed", reason: .failed, attempts: attempts, failedAt: Date()))
        }
        try await publish(events, job: job)
        try await jobs.remove(job.idempotencyKey)
    }

    private func publish(_ events: [any VOCEvent], job: DeliveryJob) async throws {
        let traceparent = TraceContext.child(of: job.origin.traceparent)
        for event in events {
            let key = event is DeadLetter ? job.origin.key : Array(job.request.recipient.id.utf8)
            _ = try await publisher.producer.send(try publisher.encode(event, traceparent: traceparent, key: key).record)
        }
    }
}

/// `notify.dispatch*` and `notify.breaker*`.
public struct DispatchSettings: Sendable {
    /// `notify.dispatchIntervalMs`: how often due jobs are looked for.
    public var pollInterval: Duration
    /// `notify.maxLanes`: endpoints served at the same time.
    public var maxLanes: Int
    /// `notify.breakerThreshold`: transient failures in a row that open an endpoint's breaker.
    public var breakerThreshold: Int
    /// `notify.breakerCooldownMs`: how long an open breaker keeps the endpoint alone.
    public var breakerCooldown: Duration
    /// `notify.leaseMs`: how long a job taken by one replica is left to it; keep it above
    /// `laneBatch` × `notify.requestTimeoutMs`.
    public var lease: Duration
    /// Jobs a lane takes per round.
    public var laneBatch: Int

    public init(pollInterval: Duration = .milliseconds(100), maxLanes: Int = 32, breakerThreshold: Int = 5,
                breakerCooldown: Duration = .seconds(30), lease: Duration = .seconds(300), laneBatch: Int = 16) {
        self.pollInterval = pollInterval
        self.maxLanes = max(1, maxLanes)
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.lease = lease
        self.laneBatch = max(1, laneBatch)
    }
}
