import ArgumentParser
import Foundation
import Logging
import VOCKafka
import VOCRuntime

/// The operator's command line.
@main
struct VOC: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voc",
        abstract: "Voice-of-Customer pipeline: run it, watch its topics, measure it.",
        subcommands: [Up.self, Tail.self, Topics.self, Lag.self, Replay.self, Verify.self, DatabaseRoles.self, Chaos.self, Demo.self, GatewayKey.self, TokenCommand.self, Rebuild.self, AnalyzeCommand.self, TrainCommand.self, TranscribeFiles.self, Bench.self]
    )
}

/// Where the Kafka cluster is: a flag, `VOC_KAFKA_BROKERS`, or the file `voc up` writes.
struct BrokerOptions: ParsableArguments {
    @Option(name: .long, help: "Kafka bootstrap servers (default: $VOC_KAFKA_BROKERS, then the address in .voc/broker).")
    var brokers: String?

    @Option(name: .long, help: "File holding the embedded broker's address, written by `voc up`.")
    var brokersFile: String = ".voc/broker"

    func resolve() throws -> String {
        if let brokers, !brokers.isEmpty { return brokers }
        if let env = ProcessInfo.processInfo.environment["VOC_KAFKA_BROKERS"], !env.isEmpty { return env }
        if let text = try? String(contentsOfFile: brokersFile, encoding: .utf8) {
            let address = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !address.isEmpty { return address }
        }
        throw ValidationError("no Kafka address: pass --brokers, set VOC_KAFKA_BROKERS, or start `voc up` (it writes \(brokersFile))")
    }

    /// The cluster's address with the `kafka.*` security settings and properties of the
    /// configuration (environment, `VOC_CONFIG`), as the services would use them.
    func connection() async throws -> KafkaConnection {
        let common = CommonSettings(config: try await Settings.reader())
        try common.validateKafka()
        return KafkaConnection(bootstrap: try resolve(), security: common.kafkaSecurity, properties: common.kafkaProperties)
    }
}

struct KafkaConnection {
    var bootstrap: String
    var security: KafkaSecurity
    var properties: [String: String]

    func consumer(group: String, clientID: String) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: group, clientID: clientID)
        configuration.security = security
        configuration.properties = properties
        configuration.statisticsInterval = nil
        return configuration
    }

    func producer(clientID: String) -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: bootstrap, clientID: clientID)
        configuration.security = security
        configuration.properties = properties
        configuration.statisticsInterval = nil
        return configuration
    }

    func admin(logger: Logger) throws -> KafkaAdmin {
        try KafkaAdmin(bootstrap: bootstrap, security: security, properties: properties, logger: logger)
    }
}

import Foundation
