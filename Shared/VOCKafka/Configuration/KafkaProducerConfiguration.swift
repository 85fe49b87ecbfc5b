/// Typed settings of a ``KafkaProducer``, turned into librdkafka's properties in
/// ``librdkafkaProperties``; ``properties`` passes anything else through.
///
/// The defaults lose nothing and double nothing (every in-sync replica acknowledges,
/// idempotence keeps retries in order) and keep latency low: a record waits at most
/// ``linger`` for others to share its request, so batches still form under load.
public struct KafkaProducerConfiguration: Sendable {
    /// librdkafka's `acks`.
    public enum Acks: String, Sendable, Hashable {
        /// No acknowledgement (`0`).
        case none = "0"
        /// The partition leader's (`1`).
        case leader = "1"
        /// Every in-sync replica's (`all`); idempotence requires it.
        case all = "all"
    }

    /// `host:port,host:port` of the brokers to start from.
    public var bootstrapServers: String
    public var clientID: String
    public var acks: Acks = .all
    /// `enable.idempotence`: retries neither reorder nor duplicate records.
    public var idempotence = true
    /// `linger.ms`: how long a record waits for others to share its produce request.
    /// Under load requests fill up before it passes; idle, it is the latency it adds.
    public var linger: Duration = .milliseconds(1)
    /// `message.timeout.ms`: a record not acknowledged by then fails (the caller answers 503).
    public var messageTimeout: Duration = .seconds(30)
    /// `queue.buffering.max.messages`: records the local queue holds before `enqueue` refuses.
    public var queueMaxMessages = 100_000
    /// `statistics.interval.ms`: how often librdkafka reports queue depth (the
    /// `voc_kafka_producer_*` gauges); nil turns statistics off.
    public var statisticsInterval: Duration? = .seconds(5)
    public var security: KafkaSecurity = .plaintext
    /// Any other librdkafka property (its CONFIGURATION.md), applied last so it wins
    /// over the typed settings; checked by ``validate()``.
    public var properties: [String: String] = [:]

    public init(bootstrapServers: String, clientID: String = "voc") {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
    }

    /// Everything as librdkafka's dictionary: the typed settings, then ``properties``.
    public var librdkafkaProperties: [String: String] {
        var result = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "acks": acks.rawValue,
            "enable.idempotence": idempotence ? "true" : "false",
            "linger.ms": KafkaProperties.milliseconds(linger),
            "message.timeout.ms": KafkaProperties.milliseconds(messageTimeout),
            "queue.buffering.max.messages": "\(queueMaxMessages)",
            "statistics.interval.ms": statisticsInterval.map(KafkaProperties.milliseconds) ?? "0",
            // Requests are small and latency matters more than packet count.
            "socket.nagle.disable": "true",
            "socket.keepalive.enable": "true",
        ]
        result.merge(security.properties) { _, new in new }
        result.merge(properties) { _, new in new }
        return result
    }

    /// Checks every property with librdkafka before a client starts.
    /// - Throws: ``KafkaError`` `.configuration` naming the property at fault.
    public func validate() throws(KafkaError) {
        let all = librdkafkaProperties
        try KafkaProperties.validate(all)
        if all["enable.idempotence"] == "true", let acks = all["acks"] ?? all["request.required.acks"], !["all", "-1"].contains(acks) {
            throw KafkaError(code: .configuration, message: "kafka property acks=\(acks): enable.idempotence needs acks=all")
        }
    }
}
