import Configuration
import SystemPackage
import Foundation
import VOCKafka

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
    /// Extra librdkafka properties, `kafka.properties` as `key=value,key=value`; checked
    /// by librdkafka before any client starts, and applied over the typed settings.
    public var kafkaProperties: [String: String]
    /// `kafka.securityProtocol`, `kafka.saslMechanism`, `kafka.saslUsername`,
    /// `kafka.saslPassword`, `kafka.sslCaLocation`.
    public var kafkaSecurity: KafkaSecurity
    /// `kafka.statisticsIntervalMs` (0: off): how often clients report lag and queue depth.
    public var kafkaStatisticsInterval: Duration?
    /// `kafka.lingerMs`: the producers' `linger.ms`.
    public var kafkaLinger: Duration
    /// `kafka.fetchWaitMaxMs`: the consumers' `fetch.wait.max.ms`.
    public var kafkaFetchWaitMax: Duration
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
        kafkaSecurity = KafkaSecurity()
        let securityProtocol = config.string(forKey: "kafka.securityProtocol", default: "plaintext")
        if let known = KafkaSecurity.SecurityProtocol(rawValue: securityProtocol.lowercased()) {
            kafkaSecurity.securityProtocol = known
        } else {
            // librdkafka names the property and the values it takes when the clients are checked.
            kafkaProperties["security.protocol", default: securityProtocol] = securityProtocol
        }
        if let mechanism = config.string(forKey: "kafka.saslMechanism"), !mechanism.isEmpty {
            if let known = KafkaSecurity.SASLMechanism(rawValue: mechanism.uppercased()) {
                kafkaSecurity.saslMechanism = known
            } else {
                kafkaProperties["sasl.mechanism", default: mechanism] = mechanism
            }
        }
        kafkaSecurity.saslUsername = config.string(forKey: "kafka.saslUsername")
        kafkaSecurity.saslPassword = config.string(forKey: "kafka.saslPassword", isSecret: true)
        kafkaSecurity.sslCALocation = config.string(forKey: "kafka.sslCaLocation")
        let statistics = config.int(forKey: "kafka.statisticsIntervalMs", default: 5_000)
        kafkaStatisticsInterval = statistics > 0 ? .milliseconds(statistics) : nil
        kafkaLinger = .milliseconds(max(0, config.int(forKey: "kafka.lingerMs", default: 1)))
        kafkaFetchWaitMax = .milliseconds(max(0, config.int(forKey: "kafka.fetchWaitMaxMs", default: 10)))
        logLevel = config.string(forKey: "log.level", default: "info")
        stage = StageTuning(
            maxAttempts: max(1, config.int(forKey: "stage.maxAttempts", default: 5)),
            initialBackoff: .milliseconds(config.int(forKey: "stage.initialBackoffMs", default: 200)),
            maxBackoff: .milliseconds(config.int(forKey: "stage.maxBackoffMs", default: 5_000)),
            batchSize: max(1, config.int(forKey: "stage.batchSize", default: 500)),
            outageLimit: .seconds(max(0, config.int(forKey: "stage.outageLimitSeconds", default: 600))))
    }

    public init(kafkaBrokers: String, kafkaProperties: [String: String] = [:], logLevel: String = "info",
                stage: StageTuning = StageTuning(), kafkaSecurity: KafkaSecurity = .plaintext,
                kafkaStatisticsInterval: Duration? = .seconds(5), kafkaLinger: Duration = .milliseconds(1),
                kafkaFetchWaitMax: Duration = .milliseconds(10)) {
        self.kafkaBrokers = kafkaBrokers
        self.kafkaProperties = kafkaProperties
        self.kafkaSecurity = kafkaSecurity
        self.kafkaStatisticsInterval = kafkaStatisticsInterval
        self.kafkaLinger = kafkaLinger
        self.kafkaFetchWaitMax = kafkaFetchWaitMax
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
    /// How long a record waits for a dependency that is away (the database, the speech
    /// engine) before it is dead-lettered; waiting does not count as attempts.
    public var outageLimit: Duration

    public init(maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(5),
                batchSize: Int = 500, outageLimit: Duration = .seconds(600)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.batchSize = batchSize
        self.outageLimit = outageLimit
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
