import Configuration
import VOCBlob
import VOCRuntime
import VOCSchema
import VOCStore

/// Every setting of the ingest service (documented in docs/configuration.md).
public struct IngestConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    /// Idempotency keys and the recordings ledger.
    public var store: StoreConfiguration
    public var blob: BlobSettings
    /// Largest JSON request body accepted; larger ones get `413`. Keep it below the
    /// topic's largest record (librdkafka and Kafka default to about 1 MB) with room for
    /// the fields ingest adds.
    public var maxBodyBytes: Int
    /// Largest recording accepted (`413` beyond).
    public var maxAudioBytes: Int64
    /// Lines per `POST /v1/interactions:batch`, and bytes per batch body.
    public var batchMaxLines: Int
    public var batchMaxBytes: Int
    /// How long the answer to an `Idempotency-Key` is kept.
    public var idempotencyTTLSeconds: Int
    /// How long an announced recording waits for its bytes (two-step upload).
    public var uploadTTLSeconds: Int
    /// How often the sweeper runs, and how old an unfinished upload must be before the
    /// sweeper finishes it (longer than any upload takes).
    public var sweepIntervalSeconds: Int
    public var sweepGraceSeconds: Int
    /// The gateway keys file; without one, ingest runs open (development only).
    public var keysFile: String?
    /// Rate and burst for keys that set none; the rate for open mode (0 = unlimited).
    public var defaultRatePerSecond: Double
    public var defaultBurst: Double
    public var openRatePerSecond: Double
    /// How long a request waits for the broker's acknowledgement before `503`.
    public var deliveryTimeoutMs: Int
    /// `Retry-After` seconds sent with `503`.
    public var retryAfterSeconds: Int
    /// Consume `voc.gateway.raw.v1` (gateways producing straight to Kafka).
    public var consumeRawTopic: Bool
    public var group: String
    public var limits: InteractionSubmission.Limits

    /// - Throws: ``StoreError`` or ``BlobError`` for malformed settings.
    public init(config: ConfigReader) throws {
        self.init(
            common: CommonSettings(config: config),
            store: try StoreConfiguration(config: config, role: .ingest),
            blob: try BlobSettings(config: config),
            http: HTTPSettings(config: config, defaultPort: 8080))
        maxBodyBytes = config.int(forKey: "ingest.maxBodyBytes", default: maxBodyBytes)
        maxAudioBytes = Int64(config.int(forKey: "ingest.maxAudioBytes", default: Int(maxAudioBytes)))
        batchMaxLines = config.int(forKey: "ingest.batchMaxLines", default: batchMaxLines)
        batchMaxBytes = config.int(forKey: "ingest.batchMaxBytes", default: batchMaxBytes)
        idempotencyTTLSeconds = config.int(forKey: "ingest.idempotencyTtlSeconds", default: idempotencyTTLSeconds)
        uploadTTLSeconds = config.int(forKey: "ingest.uploadTtlSeconds", default: uploadTTLSeconds)
        sweepIntervalSeconds = config.int(forKey: "ingest.sweepIntervalSeconds", default: sweepIntervalSeconds)
        sweepGraceSeconds = config.int(forKey: "ingest.sweepGraceSeconds", default: sweepGraceSeconds)
        keysFile = config.string(forKey: "ingest.keysFile")
        defaultRatePerSecond = config.double(forKey: "ingest.defaultRatePerSecond", default: defaultRatePerSecond)
        defaultBurst = config.double(forKey: "ingest.defaultBurst", default: defaultBurst)
        openRatePerSecond = config.double(forKey: "ingest.openRatePerSecond", default: openRatePerSecond)
        deliveryTimeoutMs = config.int(forKey: "kafka.deliveryTimeoutMs", default: deliveryTimeoutMs)
        retryAfterSeconds = config.int(forKey: "ingest.retryAfterSeconds", default: retryAfterSeconds)
        consumeRawTopic = config.bool(forKey: "ingest.consumeRawTopic", default: consumeRawTopic)
        group = config.string(forKey: "ingest.group", default: group)
    }

    public init(common: CommonSettings, store: StoreConfiguration, blob: BlobSettings = BlobSettings(),
                http: HTTPSettings = HTTPSettings(port: 0), keysFile: String? = nil) {
        self.common = common
        self.http = http
        self.store = store
        self.blob = blob
        self.keysFile = keysFile
        maxBodyBytes = 900_000
        maxAudioBytes = 512 * 1024 * 1024
        batchMaxLines = 1_000
        batchMaxBytes = 16 * 1024 * 1024
        idempotencyTTLSeconds = 86_400
        uploadTTLSeconds = 86_400
        sweepIntervalSeconds = 30
        sweepGraceSeconds = 600
        defaultRatePerSecond = 200
        defaultBurst = 400
        openRatePerSecond = 0
        deliveryTimeoutMs = 5_000
        retryAfterSeconds = 2
        consumeRawTopic = true
        group = "voc-ingest"
        limits = InteractionSubmission.Limits()
    }
}

extension IngestConfiguration: ServiceConfiguration {}
