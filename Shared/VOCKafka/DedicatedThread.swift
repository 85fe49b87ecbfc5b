import Foundation
import Synchronization

/// A thread of its own for a librdkafka loop that blocks (timed poll), so blocking
/// never happens on Swift's cooperative pool.
final class DedicatedThread: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `iteration` in a loop on a new thread until ``stop()``.
    init(name: String, iteration: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                iteration()
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Ends the loop after its current iteration and waits for it. Blocks: call it off
    /// the cooperative pool (see `offPool(on:_:)`).
    func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) {
            finished.wait()
        }
    }
}

extension Duration {
    /// Whole milliseconds, the unit of librdkafka's timeouts.
    var milliseconds: Int32 {
        Int32(clamping: components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
