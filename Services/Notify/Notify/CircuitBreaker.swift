/// Per-endpoint circuit breaker: after `threshold` transient failures in a row the lane
/// is left alone for `cooldown`, then one attempt decides (half-open). A dead endpoint
/// then costs one timeout per cooldown instead of one per waiting delivery.
struct CircuitBreaker: Sendable {
    let threshold: Int
    let cooldown: Duration
    private var failures: [String: Int] = [:]
    private var openUntil: [String: ContinuousClock.Instant] = [:]

    init(threshold: Int, cooldown: Duration) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    func isOpen(_ lane: String, now: ContinuousClock.Instant = .now) -> Bool {
        guard let until = openUntil[lane] else { return false }
        return now < until
    }

    /// Lanes to skip now.
    func openLanes(now: ContinuousClock.Instant = .now) -> [String] {
        openUntil.filter { now < $0.value }.map(\.key)
    }

    mutating func record(_ lane: String, transientFailures: Int, succeeded: Bool, now: ContinuousClock.Instant = .now) {
        if succeeded {
            failures[lane] = nil
            openUntil[lane] = nil
        }
        guard transientFailures > 0 else { return }
        let total = (failures[lane] ?? 0) + transientFailures
        failures[lane] = total
        if total >= threshold {
            openUntil[lane] = now + cooldown
            // Half-open: the first attempt after the cooldown closes or reopens it.
            failures[lane] = threshold - 1
        }
    }
}
