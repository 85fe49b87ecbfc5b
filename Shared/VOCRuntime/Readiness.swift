import Synchronization

/// Named readiness checks behind `/readyz`: a process is ready when every check passes.
public final class Readiness: Sendable {
    public typealias Check = @Sendable () async -> Bool
    private let checks = Mutex<[(String, Check)]>([])

    public init() {}

    public func add(_ name: String, _ check: @escaping Check) {
        checks.withLock { $0.append((name, check)) }
    }

    /// Runs every check; returns the names of those that failed.
    public func failing() async -> [String] {
        let current = checks.withLock { $0 }
        var failed: [String] = []
        for (name, check) in current where !(await check()) {
            failed.append(name)
        }
        return failed
    }
}
