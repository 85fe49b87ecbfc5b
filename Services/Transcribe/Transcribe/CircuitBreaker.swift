import Synchronization

/// Stops calling an engine that keeps failing, then lets one trial call through after a
/// pause: closed → (N consecutive failures) → open → (pause over) → half-open → one
/// trial → closed on success, open again on failure.
///
/// A value-type state machine; ``CircuitBreaker`` holds it in a lock.
public struct CircuitState: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: ContinuousClock.Instant)
        /// One trial call is in flight; others are refused until it ends.
        case halfOpen
    }

    public enum Decision: Sendable, Equatable {
        case allow
        case reject(retryAfter: Duration)
    }

    public private(set) var phase: Phase = .closed(consecutiveFailures: 0)
    public let failureThreshold: Int
    public let openDuration: Duration

    public init(failureThreshold: Int, openDuration: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.openDuration = openDuration
    }

    /// Whether a call may go to the engine now.
    public mutating func decide(now: ContinuousClock.Instant) -> Decision {
        switch phase {
        case .closed:
            return .allow
        case .open(let until):
            if now >= until {
                phase = .halfOpen
                return .allow
            }
            return .reject(retryAfter: until - now)
        case .halfOpen:
            return .reject(retryAfter: openDuration)
        }
    }

    public mutating func recordSuccess() {
        phase = .closed(consecutiveFailures: 0)
    }

    public mutating func recordFailure(now: ContinuousClock.Instant) {
        switch phase {
        case .closed(let failures):
            phase = failures + 1 >= failureThreshold ? .open(until: now + openDuration) : .closed(consecutiveFailures: failures + 1)
        case .halfOpen:
            phase = .open(until: now + openDuration)
        case .open:
            break
        }
    }

    /// A call that ended without telling anything about the engine's health (the caller
    /// was cancelled, the engine refused the input): a half-open trial is given back.
    public mutating func recordNeutral() {
        if phase == .halfOpen { phase = .closed(consecutiveFailures: failureThreshold - 1) }
    }

    public var isOpen: Bool {
        if case .open = phase { return true }
        return false
    }
}

/// A ``CircuitState`` shared by concurrent calls.
public final class CircuitBreaker: Sendable {
    private let state: Mutex<CircuitState>

    public init(failureThreshold: Int, openDuration: Duration) {
        state = Mutex(CircuitState(failureThreshold: failureThreshold, openDuration: openDuration))
    }

    public func decide() -> CircuitState.Decision {
        state.withLock { $0.decide(now: .now) }
    }

    public func recordSuccess() {
        state.withLock { $0.recordSuccess() }
    }

    public func recordFailure() {
        state.withLock { $0.recordFailure(now: .now) }
    }

    public func recordNeutral() {
        state.withLock { $0.recordNeutral() }
    }

    public var snapshot: CircuitState {
        state.withLock { $0 }
    }
}
