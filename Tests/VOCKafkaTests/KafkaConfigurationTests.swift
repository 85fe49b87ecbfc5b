import Logging
import Testing
@testable import VOCKafka

@Suite("Typed Kafka configuration")
struct KafkaConfigurationTests {
    let logger = Logger(label: "test.kafka")

    @Test("a misspelled pass-through property fails validation with its name and librdkafka's reason")
    func misspelledProperty() {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "g")
        configuration.properties["fetch.wait.max.msec"] = "5"
        #expect {
            try configuration.validate()
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .configuration && error.message.contains("fetch.wait.max.msec")
                && error.message.contains("No such configuration property")
        }
    }

    @Test("a producer with a misspelled property is refused before it starts")
    func producerRefused() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["linger.msec"] = "1"
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: logger)
        } throws: { error in
            (error as? KafkaError)?.message.contains("linger.msec") == true
        }
    }

    @Test("a value librdkafka refuses is reported with the property; a password is not shown")
    func badValues() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.properties["linger.ms"] = "soon"
        #expect(throws: KafkaError.self) { try configuration.validate() }
        #expect((try? configuration.validate()) == nil)
        do {
            try configuration.validate()
        } catch {
            #expect(error.message.contains("linger.ms=soon"))
        }
        var secret = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "g")
        secret.properties["sasl.password.typo"] = "hunter2"
        do {
            try secret.validate()
            Issue.record("a misspelled property passed")
        } catch {
            #expect(error.message.contains("sasl.password.typo") && !error.message.contains("hunter2"))
        }
    }

    @Test("idempotence without acks=all is refused at validation")
    func idempotenceNeedsAllAcks() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:1")
        configuration.acks = .leader
        #expect(throws: KafkaError.self) { try configuration.validate() }
        configuration.idempotence = false
        #expect(throws: Never.self) { try configuration.validate() }
    }

    @Test("typed settings map to librdkafka's names; pass-through properties win")
    func mapping() throws {
        var producer = KafkaProducerConfiguration(bootstrapServers: "k1:9092,k2:9092", clientID: "voc-ingest")
        producer.linger = .milliseconds(3)
        producer.statisticsInterval = nil
        producer.security = KafkaSecurity(securityProtocol: .saslSSL, saslMechanism: .scramSHA512, saslUsername: "voc",
                                          saslPassword: "secret", sslCALocation: "/etc/ssl/ca.pem")
        producer.properties["message.timeout.ms"] = "5000"
        let properties = producer.librdkafkaProperties
        #expect(properties["bootstrap.servers"] == "k1:9092,k2:9092")
        #expect(properties["client.id"] == "voc-ingest")
        #expect(properties["acks"] == "all" && properties["enable.idempotence"] == "true")
        #expect(properties["linger.ms"] == "3")
        #expect(properties["statistics.interval.ms"] == "0")
        #expect(properties["message.timeout.ms"] == "5000")
        #expect(properties["security.protocol"] == "sasl_ssl" && properties["sasl.mechanism"] == "SCRAM-SHA-512")
        #expect(properties["sasl.username"] == "voc" && properties["sasl.password"] == "secret")
        #expect(properties["ssl.ca.location"] == "/etc/ssl/ca.pem")
        try KafkaProperties.validate(properties.filter { $0.key != "ssl.ca.location" })

        var consumer = KafkaConsumerConfiguration(bootstrapServers: "k1:9092", groupID: "voc-analyze")
        consumer.properties["fetch.wait.max.ms"] = "100"
        let consumerProperties = consumer.librdkafkaProperties
        #expect(consumerProperties["group.id"] == "voc-analyze")
        #expect(consumerProperties["enable.auto.commit"] == "false")
        #expect(consumerProperties["fetch.wait.max.ms"] == "100")
        #expect(consumerProperties["statistics.interval.ms"] == "5000")
        #expect(KafkaConsumerConfiguration(bootstrapServers: "k", groupID: "g").librdkafkaProperties["fetch.wait.max.ms"] == "10")
        try consumer.validate()
    }

    @Test("a consumer without a group is refused")
    func consumerNeedsGroup() {
        #expect(throws: KafkaError.self) {
            try KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:1", groupID: "").validate()
        }
    }
}
