import CRdKafka

/// librdkafka's own property names and values: the pass-through of every typed
/// configuration, checked before any client starts.
public enum KafkaProperties {
    /// Sets every property on a scratch librdkafka configuration, so a misspelled name
    /// or a value out of range is reported with its name before a client connects.
    /// - Throws: ``KafkaError`` with code `.configuration` naming the first property
    ///   librdkafka refused and its reason ("No such configuration property", …).
    public static func validate(_ properties: [String: String]) throws(KafkaError) {
        let conf = rd_kafka_conf_new()!
        defer { rd_kafka_conf_destroy(conf) }
        try apply(properties, to: conf)
    }

    /// Sets `properties` on `conf` in name order.
    /// - Throws: ``KafkaError`` naming the first property librdkafka refused.
    static func apply(_ properties: [String: String], to conf: OpaquePointer) throws(KafkaError) {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count) != RD_KAFKA_CONF_OK {
                let shown = key.contains("password") || key.contains("secret") ? "<redacted>" : value
                throw KafkaError(code: .configuration,
                                 message: "kafka property \(key)=\(shown): \(text(ofErrorBuffer: errorBuffer))")
            }
        }
    }

    /// librdkafka's integer milliseconds for `duration`.
    static func milliseconds(_ duration: Duration) -> String {
        "\(duration.milliseconds)"
    }
}
