import ArgumentParser
import Foundation
import Logging
import VOCKafka
import VOCRuntime

/// `voc lag`: how far each stage's consumer group is behind, per topic and partition.
struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Consumer-group lag per stage, topic and partition (committed position against the end).")

    /// The groups of the pipeline's stages under their default names.
    static let pipelineGroups = ["voc-ingest", "voc-transcribe", "voc-analyze", "voc-projector", "voc-route", "voc-notify"]

    @OptionGroup var broker: BrokerOptions

    @Option(name: .long, help: "Consumer groups (default: every pipeline stage's). Repeat or separate with commas.")
    var group: [String] = []

    @Flag(name: .long, help: "Every partition, not only the ones that lag.")
    var all = false

    @Flag(name: .long, help: "One JSON object per partition instead of a table.")
    var json = false

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-lag")
        let connection = try await broker.connection()
        let topics = try await connection.admin(logger: logger).listTopics()
        let groups = group.isEmpty ? Self.pipelineGroups : group.flatMap { $0.split(separator: ",").map(String.init) }
        var rows: [(group: String, lag: PartitionLag)] = []
        for name in groups {
            let lags = try await KafkaAdmin.lag(group: name, topics: topics, bootstrap: connection.bootstrap,
                                                security: connection.security, properties: connection.properties, logger: logger)
            // A group consumes the topics where it has committed something.
            rows += lags.filter { $0.committed != nil }.map { (name, $0) }
            if !lags.contains(where: { $0.committed != nil }) && !group.isEmpty {
                FileHandle.standardError.write(Data("\(name): no committed offsets on any topic\n".utf8))
            }
        }
        if json {
            for (name, lag) in rows where all || lag.lag > 0 {
                let object: [String: Any] = ["group": name, "topic": lag.topic, "partition": lag.partition,
                                             "committed": lag.committed ?? -1, "end": lag.end, "lag": lag.lag]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
            return
        }
        print(Self.table(rows, all: all))
    }

    /// Per group and topic the total, then the partitions (only lagging ones unless `all`).
    static func table(_ rows: [(group: String, lag: PartitionLag)], all: Bool) -> String {
        let widths = [16, 32, 10, 10, 10, 8]
        var lines = [tableLine(["GROUP", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG"], widths: widths)]
        let byGroupTopic = Dictionary(grouping: rows) { "\($0.group)\t\($0.lag.topic)" }
        for key in byGroupTopic.keys.sorted() {
            let partitions = byGroupTopic[key]!.sorted { $0.lag.partition < $1.lag.partition }
            let (name, topic) = (partitions[0].group, partitions[0].lag.topic)
            let total = partitions.reduce(Int64(0)) { $0 + $1.lag.lag }
            lines.append(tableLine([name, topic, "all", "", "\(partitions.reduce(Int64(0)) { $0 + $1.lag.end })", "\(total)"], widths: widths))
            for (_, lag) in partitions where all || lag.lag > 0 {
                lines.append(tableLine(["", "", "\(lag.partition)", "\(lag.committed ?? -1)", "\(lag.end)", "\(lag.lag)"], widths: widths))
            }
        }
        if rows.isEmpty { lines.append("no group has committed offsets yet") }
        return lines.joined(separator: "\n")
    }
}
