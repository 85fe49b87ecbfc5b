import Configuration
import Foundation
import Testing
import VOCRuntime

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
}
