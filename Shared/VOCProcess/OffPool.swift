import Foundation

extension ChildProcess {
    /// ``run(_:environment:)`` away from Swift's cooperative pool (see ``offPool(on:_:)``).
    public static func runInBackground(_ argv: [String], environment: [String: String]? = nil) async -> (status: Int32, output: String)? {
        await offPool { run(argv, environment: environment) }
    }
}

/// Runs blocking work (a timed librdkafka poll, waiting for a child process) away from
/// Swift's cooperative pool: it has a thread per core, and each one blocked is a core
/// lost to every other task of the process.
/// - Parameter queue: runs the work there (a serial queue keeps calls in order, as a
///   Kafka consumer's must be); `nil` starts a thread of its own, for long waits.
public func offPool<T: Sendable>(on queue: DispatchQueue? = nil, _ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        dispatch(on: queue) { continuation.resume(with: Result { try work() }) }
    }
}

public func offPool<T: Sendable>(on queue: DispatchQueue? = nil, _ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        dispatch(on: queue) { continuation.resume(returning: work()) }
    }
}

private func dispatch(on queue: DispatchQueue?, _ body: @escaping @Sendable () -> Void) {
    if let queue { queue.async(execute: body) } else { Thread(block: body).start() }
}
