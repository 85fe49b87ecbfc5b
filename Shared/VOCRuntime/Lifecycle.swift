import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VOCKafka

/// A one-time signal: services that must not start before something else finished
/// (the stage before the migrations) wait on it.
public final class StartupGate: Sendable {
    private let isOpen = Atomic<Bool>(false)

    public init() {}

    public func open() {
        isOpen.store(true, ordering: .releasing)
    }

    /// Waits until the gate opens; returns `false` if shutdown or cancellation came first.
    public func wait() async -> Bool {
        while !isOpen.load(ordering: .acquiring) {
            if Task.isShuttingDownGracefully || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

/// Runs a service once a gate opens.
public struct GatedService: Service {
    let gate: StartupGate
    let service: any Service

    public init(after gate: StartupGate, run service: any Service) {
        self.gate = gate
        self.service = service
    }

    public func run() async throws {
        guard await gate.wait() else { return }
        try await service.run()
    }
}

/// Keeps a producer for the process's lifetime and flushes it at shutdown, so records
/// accepted just before SIGTERM still reach the broker.
public struct ProducerService: Service {
    let producer: KafkaProducer

    public init(producer: KafkaProducer) {
        self.producer = producer
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await producer.flush(timeout: .seconds(10))
    }
}

/// One of several services run in one group (`voc up`). The group logs a service's error
/// only at debug level, and reports it only once every other service has stopped; this
/// says at once which service failed and why, and ends the process if the others have not
/// stopped within `grace`, so a service that does not answer cancellation cannot hold a
/// failed stack open without a word.
public struct FailingLoudly: Service {
    let name: String
    let service: any Service
    let grace: Duration
    let logger: Logger

    public init(_ name: String, _ service: any Service, grace: Duration = .seconds(15), logger: Logger) {
        self.name = name
        self.service = service
        self.grace = grace
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await service.run()
        } catch {
            guard !(error is CancellationError) && !Task.isCancelled else { throw error }
            let (name, grace, logger) = (name, grace, logger)
            logger.error("\(name) failed; stopping the other services", metadata: [LogKey.error: "\(error)"])
            Task.detached {
                try? await Task.sleep(for: grace)
                logger.critical("the other services did not stop within \(grace) of \(name) failing; exiting",
                                metadata: [LogKey.error: "\(error)"])
                exit(1)
            }
            throw error
        }
    }
}
