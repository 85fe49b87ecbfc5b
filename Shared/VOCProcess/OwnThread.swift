import Foundation

extension ChildProcess {
    /// ``run(_:environment:)`` away from Swift's cooperative pool (see ``onOwnThread(_:)``).
    public static func runInBackground(_ argv: [String], environment: [String: String]? = nil) async -> (status: Int32, output: String)? {
        await onOwnThread { run(argv, environment: environment) }
    }
}

/// Runs blocking work (waiting for a child process) on a thread of its own: the
/// cooperative pool has a thread per core, and each one blocked is a core lost to every
/// other task of the process.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
