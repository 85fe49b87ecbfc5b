import ArgumentParser
import Foundation
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema

/// `voc topics`: list a cluster's topics, or create the pipeline's.
struct Topics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List topics, or create them.", subcommands: [List.self, Create.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List topics with their partition counts.")
        @OptionGroup var broker: BrokerOptions

        func run() async throws {
            Observability.bootstrap(logLevel: "error")
            let admin = try await broker.connection().admin(logger: Logger(label: "voc-topics"))
            for topic in try await admin.listTopics() {
                print("\(topic.name)\t\(topic.partitions) partitions")
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create topics (default: every pipeline topic); existing ones are left as they are.")
        @OptionGroup var broker: BrokerOptions

        @Argument(help: "Topic names; none means all pipeline topics.")
        var names: [String] = []

        @Option(help: "Partitions per topic (default: the pipeline's choice per topic).")
        var partitions: Int?

        @Option(help: "Replication factor (-1: the cluster's default).")
        var replicationFactor: Int = -1

        func run() async throws {
            Observability.bootstrap(logLevel: "error")
            let specs: [KafkaAdmin.TopicSpec]
            if names.isEmpty {
                specs = Topic.allCases.map {
                    KafkaAdmin.TopicSpec(name: $0.rawValue, partitions: partitions ?? $0.defaultPartitions, replicationFactor: replicationFactor)
                }
            } else {
                specs = names.map {
                    KafkaAdmin.TopicSpec(name: $0, partitions: partitions ?? Topic(rawValue: $0)?.defaultPartitions ?? 6,
                                         replicationFactor: replicationFactor)
                }
            }
            let admin = try await broker.connection().admin(logger: Logger(label: "voc-topics"))
            let created = try await admin.createTopics(specs)
            for spec in specs {
                print("\(spec.name)\t\(created.contains(spec.name) ? "created" : "exists")")
            }
        }
    }
}
