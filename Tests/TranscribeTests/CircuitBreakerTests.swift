import Testing
@testable import Transcribe

@Suite("Circuit breaker state machine")
struct CircuitBreakerTests {
    let start = ContinuousClock.now

    @Test("opens after the threshold of consecutive failures and refuses until the pause is over")
    func opens() {
        var state = CircuitState(failureThreshold: 3, openDuration: .seconds(10))
        for _ in 0..<2 {
            #expect(state.decide(now: start) == .allow)
            state.recordFailure(now: start)
        }
        #expect(state.phase == .closed(consecutiveFailures: 2))
        state.recordFailure(now: start)
        #expect(state.isOpen)
        #expect(state.decide(now: start + .seconds(4)) == .reject(retryAfter: .seconds(6)))
    }

    @Test("a success resets the count of failures")
    func successResets() {
        var state = CircuitState(failureThreshold: 2, openDuration: .seconds(10))
        state.recordFailure(now: start)
        state.recordSuccess()
        state.recordFailure(now: start)
        #expect(state.phase == .closed(consecutiveFailures: 1))
    }

    @Test("after the pause one trial goes through; others wait; success closes, failure opens again")
    func halfOpen() {
        var state = CircuitState(failureThreshold: 1, openDuration: .seconds(10))
        state.recordFailure(now: start)
        let later = start + .seconds(10)
        #expect(state.decide(now: later) == .allow)
        #expect(state.phase == .halfOpen)
        #expect(state.decide(now: later) == .reject(retryAfter: .seconds(10)))
        state.recordFailure(now: later)
        #expect(state.phase == .open(until: later + .seconds(10)))
        #expect(state.decide(now: later + .seconds(10)) == .allow)
        state.recordSuccess()
        #expect(state.phase == .closed(consecutiveFailures: 0))
    }

    @Test("a trial that tells nothing about the engine gives the trial back")
    func neutral() {
        var state = CircuitState(failureThreshold: 2, openDuration: .seconds(1))
        state.recordFailure(now: start)
        state.recordFailure(now: start)
        _ = state.decide(now: start + .seconds(1))
        state.recordNeutral()
        #expect(state.decide(now: start + .seconds(1)) == .allow)
        // One more failure opens it again: the count stands just below the threshold.
        state.recordFailure(now: start + .seconds(1))
        #expect(state.isOpen)
    }
}
