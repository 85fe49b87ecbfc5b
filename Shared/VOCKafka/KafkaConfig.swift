/// librdkafka properties with the pipeline's defaults for each kind of client.
///
/// Keys are librdkafka's own (see its CONFIGURATION.md), so an operator can pass any
/// of them through `kafka.properties` without a code change.
public struct KafkaConfig: Sendable {
    public var properties: [String: String]

    public init(_ properties: [String: String] = [:]) {
        self.properties = properties
    }

    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// Producer that loses nothing and doubles nothing: every in-sync replica
    /// acknowledges and retries cannot reorder or duplicate.
    public static func producer(bootstrap: String, clientID: String = "voc") -> KafkaConfig {
        KafkaConfig([
            "bootstrap.servers": bootstrap,
            "client.id": clientID,
            "acks": "all",
            "enable.idempotence": "true",
            "linger.ms": "2",
            "message.timeout.ms": "30000",
            "queue.buffering.max.messages": "100000",
            "socket.keepalive.enable": "true",
        ])
    }

    /// Consumer-group member that commits only what the stage has finished.
    public static func consumer(bootstrap: String, group: String, clientID: String = "voc") -> KafkaConfig {
        KafkaConfig([
            "bootstrap.servers": bootstrap,
            "client.id": clientID,
            "group.id": group,
            "enable.auto.commit": "false",
            "enable.auto.offset.store": "false",
            "auto.offset.reset": "earliest",
            "session.timeout.ms": "10000",
            "heartbeat.interval.ms": "1000",
            "topic.metadata.refresh.interval.ms": "10000",
        ])
    }

    /// Returns a copy with `overrides` applied on top.
    public func merging(_ overrides: [String: String]) -> KafkaConfig {
        KafkaConfig(properties.merging(overrides) { _, new in new })
    }
}
