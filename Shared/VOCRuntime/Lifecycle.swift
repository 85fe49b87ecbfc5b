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
