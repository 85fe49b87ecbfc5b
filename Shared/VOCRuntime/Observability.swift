import Foundation
import Logging
import Metrics
import Prometheus
import Synchronization

/// Log metadata keys, so every service names the same thing the same way.
public enum LogKey {
    public static let stage = "stage"
    public static let topic = "kafka.topic"
    public static let partition = "kafka.partition"
    public static let offset = "kafka.offset"
    public static let eventID = "event.id"
    public static let error = "error"
    public static let attempt = "attempt"
}

/// Process-wide logging and metrics set-up. Both systems are global in swift-log and
/// swift-metrics, so they are bootstrapped once however many services share the process.
public enum Observability {
    private static let bootstrapped = Mutex<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps logging (stderr, at `level`) and Prometheus metrics once.
    /// - Returns: The registry `/metrics` renders.
    @discardableResult
    public static func bootstrap(logLevel: String = "info") -> PrometheusCollectorRegistry {
        bootstrapped.withLock { registry in
            if let registry { return registry }
            let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            let created = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: created))
            registry = created
            return created
        }
    }

    /// The registry, bootstrapping with defaults if nothing did yet (tests).
    public static var registry: PrometheusCollectorRegistry { bootstrap() }
}
