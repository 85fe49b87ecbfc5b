import Configuration
import VOCRuntime
import VOCSchema

/// Every setting of the ingest service (documented in docs/configuration.md).
public struct IngestConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    /// Largest request body accepted; larger ones get `413`. Keep it below the topic's
    /// largest record (librdkafka and Kafka default to about 1 MB) with room for the
    /// fields ingest adds.
    public var maxBodyBytes: Int
    /// How long a request waits for the broker's acknowledgement before `503`.
    public var deliveryTimeoutMs: Int
    /// `Retry-After` seconds sent with `503`.
    public var retryAfterSeconds: Int
    /// Consume `voc.gateway.raw.v1` (gateways producing straight to Kafka).
    public var consumeRawTopic: Bool
    public var group: String
    public var limits: InteractionSubmission.Limits

    public init(config: ConfigReader) {
        common = CommonSettings(config: config)
        http = HTTPSettings(config: config, defaultPort: 8080)
        maxBodyBytes = config.int(forKey: "ingest.maxBodyBytes", default: 900_000)
        deliveryTimeoutMs = config.int(forKey: "kafka.deliveryTimeoutMs", default: 5_000)
        retryAfterSeconds = config.int(forKey: "ingest.retryAfterSeconds", default: 2)
        consumeRawTopic = config.bool(forKey: "ingest.consumeRawTopic", default: true)
        group = config.string(forKey: "ingest.group", default: "voc-ingest")
        limits = InteractionSubmission.Limits()
    }

    public init(common: CommonSettings, http: HTTPSettings = HTTPSettings(port: 0), maxBodyBytes: Int = 900_000,
                deliveryTimeoutMs: Int = 5_000, retryAfterSeconds: Int = 2, consumeRawTopic: Bool = true,
                group: String = "voc-ingest") {
        self.common = common
        self.http = http
        self.maxBodyBytes = maxBodyBytes
        self.deliveryTimeoutMs = deliveryTimeoutMs
        self.retryAfterSeconds = retryAfterSeconds
        self.consumeRawTopic = consumeRawTopic
        self.group = group
        self.limits = InteractionSubmission.Limits()
    }
}
