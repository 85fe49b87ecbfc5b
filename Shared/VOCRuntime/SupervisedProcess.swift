import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import VOCProcess

/// Keeps a child process running as a service: when it exits it is started again after
/// a backoff that doubles up to ``maxBackoff`` (and starts over once a run lasted a
/// minute); at shutdown it gets SIGTERM, then SIGKILL after five seconds.
public final class SupervisedProcess: Service, Sendable {
    public let name: String
    private let launch: @Sendable () -> SpawnedProcess?
    private let watch: @Sendable (SpawnedProcess) async -> Void
    private let logger: Logger
    private let restarts: Counter
    private let current = Mutex<SpawnedProcess?>(nil)
    public static let maxBackoff = Duration.seconds(30)

    /// - Parameters:
    ///   - launch: starts the process once; nil when it cannot be started.
    ///   - watch: called about five times a second while the process runs (health checks).
    ///   - restartsMetric: counter label for restarts, e.g. `voc_supervised_restarts_total`.
    public init(name: String, restartsMetric: String, dimensions: [(String, String)] = [], logger: Logger,
                launch: @escaping @Sendable () -> SpawnedProcess?,
                watch: @escaping @Sendable (SpawnedProcess) async -> Void = { _ in }) {
        self.name = name
        self.launch = launch
        self.watch = watch
        self.logger = logger
        restarts = Counter(label: restartsMetric, dimensions: dimensions)
    }

    /// The running process's id, if any.
    public var pid: pid_t? {
        current.withLock { $0?.pid }
    }

    public func run() async throws {
        var backoff = Duration.seconds(1)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let started = ContinuousClock.now
            guard let child = launch() else {
                logger.error("cannot start \(name)", metadata: ["restartIn": "\(backoff)"])
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, Self.maxBackoff)
                continue
            }
            logger.info("\(name) started", metadata: ["pid": "\(child.pid)"])
            current.withLock { $0 = child }
            var status: Int32?
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                status = child.exitStatus()
                if status != nil { break }
                await watch(child)
                try? await Task.sleep(for: .milliseconds(200))
            }
            current.withLock { $0 = nil }
            guard let status, !Task.isShuttingDownGracefully, !Task.isCancelled else {
                if status == nil { await Self.stop(child) }
                logger.info("\(name) stopped")
                return
            }
            restarts.increment()
            if ContinuousClock.now - started > .seconds(60) { backoff = .seconds(1) }
            logger.error("\(name) exited, restarting", metadata: ["status": "\(status)", "restartIn": "\(backoff)"])
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, Self.maxBackoff)
        }
    }

    /// SIGTERM, then SIGKILL after five seconds.
    public static func stop(_ child: SpawnedProcess) async {
        child.signal(SIGTERM)
        for _ in 0..<50 {
            if child.exitStatus() != nil { return }
            try? await Task.sleep(for: .milliseconds(100))
        }
        child.signal(SIGKILL)
        _ = child.waitForExit()
    }
}
