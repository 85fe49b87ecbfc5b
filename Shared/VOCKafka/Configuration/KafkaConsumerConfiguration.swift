/// Typed settings of a ``KafkaConsumer`` (a consumer-group member with manual commits),
/// turned into librdkafka's properties in ``librdkafkaProperties``; ``properties``
/// passes anything else through.
public struct KafkaConsumerConfiguration: Sendable {
    /// librdkafka's `auto.offset.reset`: where a group without a committed position starts.
    public enum OffsetReset: String, Sendable, Hashable {
        case earliest, latest
    }

    /// `host:port,host:port` of the brokers to start from.
    public var bootstrapServers: String
    public var clientID: String
    /// `group.id`: members of one group share the partitions.
    public var groupID: String
    public var autoOffsetReset: OffsetReset = .earliest
    /// `fetch.wait.max.ms`: how long a broker may hold a fetch that found nothing.
    ///
    /// A Kafka broker answers as soon as records arrive, so this only bounds idle
    /// round-trips; the embedded broker (librdkafka's mock cluster) always holds an
    /// empty fetch this long and queues every later response on that connection behind
    /// it, so here it is the latency of each hop. Larger values mean fewer idle fetches.
    public var fetchWaitMax: Duration = .milliseconds(10)
    /// `fetch.min.bytes`: the broker answers once this much is there (or at ``fetchWaitMax``).
    public var fetchMinBytes = 1
    /// `session.timeout.ms`: a member silent this long leaves the group.
    public var sessionTimeout: Duration = .seconds(10)
    /// `heartbeat.interval.ms`.
    public var heartbeatInterval: Duration = .seconds(1)
    /// `topic.metadata.refresh.interval.ms`: how soon new partitions are seen.
    public var metadataRefreshInterval: Duration = .seconds(10)
    /// `statistics.interval.ms`: how often librdkafka reports the lag (the
    /// `voc_kafka_consumer_*` gauges); nil turns statistics off.
    public var statisticsInterval: Duration? = .seconds(5)
    public var security: KafkaSecurity = .plaintext
    /// Any other librdkafka property (its CONFIGURATION.md), applied last so it wins
    /// over the typed settings; checked by ``validate()``.
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String, groupID: String, clientID: String = "voc") {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.clientID = clientID
    }

    /// Everything as librdkafka's dictionary: the typed settings, then ``properties``.
    ///
    /// Commits are always manual (the consumer commits only what the caller finished).
    public var librdkafkaProperties: [String: String] {
        var result = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "group.id": groupID,
            "enable.auto.commit": "false",
            "enable.auto.offset.store": "false",
            "auto.offset.reset": autoOffsetReset.rawValue,
            "fetch.wait.max.ms": KafkaProperties.milliseconds(fetchWaitMax),
            "fetch.min.bytes": "\(fetchMinBytes)",
            "session.timeout.ms": KafkaProperties.milliseconds(sessionTimeout),
            "heartbeat.interval.ms": KafkaProperties.milliseconds(heartbeatInterval),
            "topic.metadata.refresh.interval.ms": KafkaProperties.milliseconds(metadataRefreshInterval),
            "statistics.interval.ms": statisticsInterval.map(KafkaProperties.milliseconds) ?? "0",
            // Requests are small and latency matters more than packet count.
            "socket.nagle.disable": "true",
        ]
        result.merge(security.properties) { _, new in new }
        result.merge(properties) { _, new in new }
        return result
    }

    /// Checks every property with librdkafka before a client starts.
    /// - Throws: ``KafkaError`` `.configuration` naming the property at fault.
    public func validate() throws(KafkaError) {
        let all = librdkafkaProperties
        if all["group.id", default: ""].isEmpty {
            throw KafkaError(code: .configuration, message: "kafka property group.id: a consumer needs a group")
        }
        try KafkaProperties.validate(all)
    }
}
