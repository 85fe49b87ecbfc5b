import Foundation
import Synchronization

/// Token buckets per gateway: a steady rate with room for bursts. Per process: with N
/// ingest replicas a gateway gets up to N times its rate, which the keys file accounts for.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex([String: Bucket]())

    enum Decision: Equatable {
        case allowed
        /// Seconds until `cost` tokens are available.
        case limited(retryAfter: Int)
    }

    /// Takes `cost` tokens (one per interaction) from the gateway's bucket.
    func admit(_ gateway: GatewayIdentity, cost: Double = 1, now: ContinuousClock.Instant = .now) -> Decision {
        guard gateway.ratePerSecond > 0 else { return .allowed }
        let capacity = max(gateway.burst, cost)
        return buckets.withLock { buckets in
            var bucket = buckets[gateway.id] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = Double((now - bucket.updated).components.seconds) + Double((now - bucket.updated).components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, elapsed) * gateway.ratePerSecond)
            bucket.updated = now
            defer { buckets[gateway.id] = bucket }
            if bucket.tokens >= cost {
                bucket.tokens -= cost
                return .allowed
            }
            return .limited(retryAfter: max(1, Int(((cost - bucket.tokens) / gateway.ratePerSecond).rounded(.up))))
        }
    }
}
