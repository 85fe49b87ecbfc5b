import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema

/// Sends the stored jobs: one lane per endpoint, lanes side by side (at most
/// `maxLanes`). A slow or dead endpoint holds up only its own lane; its circuit breaker
/// stops it being tried for every waiting delivery.
///
/// A round leases what is due and starts a lane for each endpoint that is neither busy
/// nor behind an open breaker. Rounds come when the stage commits new jobs (``wake()``),
/// when a lane finishes, and every `pollInterval` for jobs whose retry time came or that
/// another replica left behind.
final class Dispatcher: Service, Sendable {
    let lanes: LaneRunner
    let jobs: JobQueue
    let settings: DispatchSettings
    let logger: Logger
    private let state: Mutex<(busy: Set<String>, breaker: CircuitBreaker)>
    /// Rounds asked for; holding at most one, so wakes that come while a round runs make
    /// one more round, not many.
    private let rounds: AsyncStream<Void>
    private let asked: AsyncStream<Void>.Continuation

    init(lanes: LaneRunner, jobs: JobQueue, settings: DispatchSettings, logger: Logger) {
        self.lanes = lanes
        self.jobs = jobs
        self.settings = settings
        self.logger = logger
        state = Mutex(([], CircuitBreaker(threshold: settings.breakerThreshold, cooldown: settings.breakerCooldown)))
        (rounds, asked) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a round now instead of at the next tick.
    func wake() {
        asked.yield()
    }

    func run() async throws {
        await withTaskGroup(of: Void.self) { ticker in
            ticker.addTask { [settings, asked] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: settings.pollInterval)
                    asked.yield()
                }
            }
            await withGracefulShutdownHandler {
                await dispatchRounds()
            } onGracefulShutdown: { [asked] in
                asked.finish()
            }
            ticker.cancelAll()
        }
    }

    /// Runs rounds until shutdown, then waits for the lanes still sending.
    private func dispatchRounds() async {
        await withDiscardingTaskGroup { group in
            for await _ in rounds {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                do {
                    for (lane, batch) in try await leaseRound() {
                        group.addTask {
                            let report = await self.lanes.run(lane, batch)
                            self.state.withLock { state in
                                state.busy.remove(lane)
                                state.breaker.record(lane, transientFailures: report.transientFailures, succeeded: report.succeeded)
                            }
                            // Its lane is free: more of its jobs may be waiting.
                            self.asked.yield()
                        }
                    }
                } catch {
                    logger.warning("dispatcher could not lease jobs", metadata: [LogKey.error: "\(error)"])
                }
            }
        }
    }

    /// Leases what is due for lanes that are free and marks them busy.
    private func leaseRound() async throws -> [(String, [DeliveryJob])] {
        let (excluded, room) = state.withLock { state in
            (Array(state.busy) + state.breaker.openLanes(), settings.maxLanes - state.busy.count)
        }
        guard room > 0 else { return [] }
        let due = try await jobs.lease(excluding: excluded, limit: room * settings.laneBatch)
        var byLane: [String: [DeliveryJob]] = [:]
        var order: [String] = []
        for job in due {
            if byLane[job.lane] == nil { order.append(job.lane) }
            byLane[job.lane, default: []].append(job)
        }
        var started: [(String, [DeliveryJob])] = []
        var giveBack: [String] = []
        state.withLock { state in
            for lane in order {
                let leased = byLane[lane] ?? []
                // A lane takes at most `laneBatch` jobs a round, so it is done with them
                // well within their lease; the rest, and lanes without room, give their
                // lease back at once.
                let cap = DeliveryJob.isSerial(lane) ? min(settings.laneBatch, 16) : settings.laneBatch
                let batch = state.busy.count < settings.maxLanes ? Array(leased.prefix(cap)) : []
                giveBack += leased.dropFirst(batch.count).map(\.idempotencyKey)
                guard !batch.isEmpty else { continue }
                state.busy.insert(lane)
                started.append((lane, batch))
            }
        }
        try? await jobs.release(giveBack)
        return started
    }
}

/// `notify.dispatch*`, `notify.lane*` and `notify.breaker*`.
public struct DispatchSettings: Sendable {
    /// `notify.dispatchIntervalMs`: how often due jobs are looked for besides the wake-ups
    /// on commit (retries whose time came, jobs another replica left).
    public var pollInterval: Duration
    /// `notify.maxLanes`: endpoints served at the same time.
    public var maxLanes: Int
    /// `notify.laneConcurrency`: deliveries in flight at once to one webhook endpoint or
    /// SMTP relay (robots take one at a time, in order).
    public var laneConcurrency: Int
    /// `notify.breakerThreshold`: transient failures in a row that open an endpoint's breaker.
    public var breakerThreshold: Int
    /// `notify.breakerCooldownMs`: how long an open breaker keeps the endpoint alone.
    public var breakerCooldown: Duration
    /// `notify.leaseMs`: how long a job taken by one replica is left to it; keep it above
    /// `laneBatch` × `notify.requestTimeoutMs` ÷ `laneConcurrency`.
    public var lease: Duration
    /// `notify.laneBatch`: jobs a lane takes per round.
    public var laneBatch: Int

    public init(pollInterval: Duration = .milliseconds(100), maxLanes: Int = 32, laneConcurrency: Int = 8, breakerThreshold: Int = 5,
                breakerCooldown: Duration = .seconds(30), lease: Duration = .seconds(300), laneBatch: Int = 64) {
        self.pollInterval = pollInterval
        self.maxLanes = max(1, maxLanes)
        self.laneConcurrency = max(1, laneConcurrency)
        self.breakerThreshold = breakerThreshold
        self.breakerCooldown = breakerCooldown
        self.lease = lease
        self.laneBatch = max(1, laneBatch)
    }
}
