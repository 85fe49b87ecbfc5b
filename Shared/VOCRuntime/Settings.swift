import Configuration
import SystemPackage
import Foundation

/// Builds the configuration every executable reads, in increasing precedence:
/// built-in defaults < JSON file (`VOC_CONFIG`) < environment (`VOC_*`) < command-line flags.
/// The built-in defaults are the `default:` of each read, in each `…Configuration`.
///
/// Keys are dotted (`kafka.brokers`); the environment spells them upper-case with the
/// `VOC_` prefix and `_` for dots and word breaks (`VOC_KAFKA_BROKERS`,
/// `VOC_KAFKA_DELIVERY_TIMEOUT_MS`).
public enum Settings {
    public static func reader(
        overrides: [AbsoluteConfigKey: ConfigValue] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> ConfigReader {
        var providers: [any ConfigProvider] = []
        providers.append(InMemoryProvider(name: "flags", values: overrides))
        providers.append(EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "voc"))
        if let path = environment["VOC_CONFIG"], !path.isEmpty {
            providers.append(try await FileProvider<JSONSnapshot>(filePath: FilePath(path)))
        }
        return ConfigReader(providers: providers)
    }
}

/// Settings every process shares.
public struct CommonSettings: Sendable {
    /// Kafka bootstrap servers.
    public var kafkaBrokers: String
    /// Extra librdkafka properties, `kafka.properties` as `key=value,key=value`.
    public var kafkaProperties: [String: String]
    public var logLevel: String
    /// Retry and batching of every stage loop in the process.
    public var stage: StageTuning

    /// Reads the common keys. When `kafka.brokers` is empty the address written by
    /// `voc up` to `kafka.brokersFile` is used, then `127.0.0.1:9092`.
    public init(config: ConfigReader) {
        var brokers = config.string(forKey: "kafka.brokers", default: "")
        if brokers.isEmpty {
            let file = config.string(forKey: "kafka.brokersFile", default: ".voc/broker")
            brokers = (try? String(contentsOfFile: file, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }
        kafkaBrokers = brokers.isEmpty ? "127.0.0.1:9092" : brokers
        kafkaProperties = Self.parseProperties(config.string(forKey: "kafka.properties", default: ""))
        logLevel = config.string(forKey: "log.level", default: "info")
        stage = StageTuning(
            maxAttempts: max(1, config.int(forKey: "stage.maxAttempts", default: 5)),
            initialBackoff: .milliseconds(config.int(forKey: "stage.initialBackoffMs", default: 200)),
            maxBackoff: .milliseconds(config.int(forKey: "stage.maxBackoffMs", default: 5_000)),
            batchSize: max(1, config.int(forKey: "stage.batchSize", default: 500)))
    }

    public init(kafkaBrokers: String, kafkaProperties: [String: String] = [:], logLevel: String = "info",
                stage: StageTuning = StageTuning()) {
        self.kafkaBrokers = kafkaBrokers
        self.kafkaProperties = kafkaProperties
        self.logLevel = logLevel
        self.stage = stage
    }

    static func parseProperties(_ text: String) -> [String: String] {
        var properties: [String: String] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 {
                properties[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return properties
    }
}

/// How hard a stage tries before it dead-letters a record, and how many records it takes
/// per poll.
public struct StageTuning: Sendable {
    /// Attempts per record before it is dead-lettered.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// Records taken per poll; their outputs share one round-trip to the broker.
    public var batchSize: Int

    public init(maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(5),
                batchSize: Int = 500) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.batchSize = batchSize
    }
}

/// Where a service's HTTP server listens (`http.host`, `http.port`).
public struct HTTPSettings: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    public init(config: ConfigReader, defaultPort: Int) {
        host = config.string(forKey: "http.host", default: "127.0.0.1")
        port = config.int(forKey: "http.port", default: defaultPort)
    }
}
