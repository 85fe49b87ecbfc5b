import Configuration
import Foundation
import Testing
import VOCKafka
import VOCRuntime
import VOCServiceTestSupport
import VOCStore

@Suite("Configuration layers")
struct SettingsTests {
    @Test("flags beat the environment, which beats the JSON file, which beats the defaults")
    func precedence() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("voc-config-\(UUID()).json")
        try Data(#"{"kafka":{"brokers":"file:9092","properties":"linger.ms=7"},"stage":{"maxAttempts":9,"batchSize":50},"log":{"level":"debug"}}"#.utf8)
            .write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = ["VOC_CONFIG": file.path, "VOC_KAFKA_BROKERS": "env:9092", "VOC_STAGE_MAX_ATTEMPTS": "4"]

        let fromEnv = CommonSettings(config: try await Settings.reader(environment: environment))
        #expect(fromEnv.kafkaBrokers == "env:9092")
        #expect(fromEnv.stage.maxAttempts == 4)
        #expect(fromEnv.stage.batchSize == 50)
        #expect(fromEnv.logLevel == "debug")
        #expect(fromEnv.kafkaProperties == ["linger.ms": "7"])
        #expect(fromEnv.stage.maxBackoff == .milliseconds(5_000))

        let fromFlags = CommonSettings(config: try await Settings.reader(
            overrides: ["kafka.brokers": "flag:9092"], environment: environment))
        #expect(fromFlags.kafkaBrokers == "flag:9092")
    }

    @Test("with no broker configured, the address voc up wrote is used")
    func brokersFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("voc-broker-\(UUID())")
        try Data("127.0.0.1:39092,127.0.0.1:39093\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = CommonSettings(config: try await Settings.reader(
            environment: ["VOC_KAFKA_BROKERS_FILE": file.path]))
        #expect(settings.kafkaBrokers == "127.0.0.1:39092,127.0.0.1:39093")
        let fallback = CommonSettings(config: try await Settings.reader(
            environment: ["VOC_KAFKA_BROKERS_FILE": "/nonexistent/voc-broker"]))
        #expect(fallback.kafkaBrokers == "127.0.0.1:9092")
    }

    @Test("kafka.* keys become the typed client settings; kafka.properties passes through and wins")
    func typedKafkaSettings() async throws {
        let settings = CommonSettings(config: try await Settings.reader(environment: [
            "VOC_KAFKA_BROKERS": "k1:9093", "VOC_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "VOC_KAFKA_SASL_MECHANISM": "SCRAM-SHA-256",
            "VOC_KAFKA_SASL_USERNAME": "voc", "VOC_KAFKA_SASL_PASSWORD": "s3cret", "VOC_KAFKA_SSL_CA_LOCATION": "/etc/voc/ca.pem",
            "VOC_KAFKA_STATISTICS_INTERVAL_MS": "0", "VOC_KAFKA_LINGER_MS": "4", "VOC_KAFKA_FETCH_WAIT_MAX_MS": "25",
            "VOC_KAFKA_PROPERTIES": "fetch.wait.max.ms=30,message.timeout.ms=9000",
        ]))
        #expect(settings.kafkaSecurity == KafkaSecurity(securityProtocol: .saslSSL, saslMechanism: .scramSHA256, saslUsername: "voc",
                                                        saslPassword: "s3cret", sslCALocation: "/etc/voc/ca.pem"))
        let producer = settings.producerConfiguration(clientID: "voc-ingest").librdkafkaProperties
        #expect(producer["linger.ms"] == "4" && producer["statistics.interval.ms"] == "0")
        #expect(producer["security.protocol"] == "sasl_ssl" && producer["sasl.mechanism"] == "SCRAM-SHA-256")
        #expect(producer["message.timeout.ms"] == "9000")
        let consumer = settings.consumerConfiguration(group: "voc-analyze", clientID: "voc-analyze").librdkafkaProperties
        #expect(consumer["fetch.wait.max.ms"] == "30")
        #expect(consumer["group.id"] == "voc-analyze")
    }

    @Test("a misspelled kafka.properties entry stops start-up with its name")
    func misspelledKafkaProperty() async throws {
        let settings = CommonSettings(config: try await Settings.reader(environment: [
            "VOC_KAFKA_BROKERS": "127.0.0.1:1", "VOC_KAFKA_PROPERTIES": "fetch.wait.max.ms=5,lingr.ms=3",
        ]))
        #expect {
            try settings.validateKafka()
        } throws: { error in
            (error as? KafkaError)?.message.contains("lingr.ms") == true
        }
        #expect(throws: KafkaError.self) {
            _ = try EventPublisher(common: settings, clientID: "voc-test", source: "/test", logger: testLogger)
        }
    }

    @Test("a service connects as its own role unless the URL names one; its password file is read only when private")
    func postgresRoleAndPasswordFile() async throws {
        let plain = try StoreConfiguration(config: try await Settings.reader(environment: [:]), role: .route)
        #expect(plain.username == "voc_route" && plain.password == nil && plain.port == 55432 && plain.database == "voc")
        let named = try StoreConfiguration(config: try await Settings.reader(
            environment: ["VOC_POSTGRES_URL": "postgres://someone:pw@db:5432/voc"]), role: .route)
        #expect(named.username == "someone" && named.password == "pw")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("voc-pg-password-\(UUID())")
        try Data("s3cret\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = ["VOC_POSTGRES_URL": "postgres://db:5432/voc", "VOC_POSTGRES_PASSWORD_FILE": file.path]
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        await #expect(throws: SecretFile.Refusal.self) {
            _ = try StoreConfiguration(config: try await Settings.reader(environment: environment), role: .notify)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let secret = try StoreConfiguration(config: try await Settings.reader(environment: environment), role: .notify)
        #expect(secret.username == "voc_notify" && secret.password == "s3cret" && secret.host == "db")
    }
}
