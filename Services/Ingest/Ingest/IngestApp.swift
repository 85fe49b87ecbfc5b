import Foundation
import Hummingbird
import Logging
import VOCBlob
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Builds the ingest service: the HTTP API, the raw-topic stage, the recordings sweeper
/// and the producer, PostgreSQL pool and blob store they share.
public enum IngestApp {
    public static let source = "/voc/ingest"
    public static let component = "ingest"

    /// The ingest schema (idempotency answers, recordings ledger), shipped as resources.
    public static func migrations() throws -> [Migration] {
        try Migration.bundled(in: .module, component: component)
    }

    /// The OpenAPI 3.1 description of this API (also `docs/openapi.yaml`).
    public static func openAPIDocument() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw StoreError(code: .configuration, message: "openapi.yaml is missing from the bundle")
        }
        return try Data(contentsOf: url)
    }

    /// - Throws: ``KafkaError`` when the producer or consumer cannot be configured,
    ///   ``BlobError`` for an unusable blob store, ``ValidationError`` for a bad keys file.
    public static func build(configuration: IngestConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let publisher = try EventPublisher(
            common: configuration.common, clientID: "voc-ingest", source: source,
            properties: ["message.timeout.ms": "\(configuration.deliveryTimeoutMs)"], logger: logger)
        let store = Store(configuration: configuration.store, logger: logger)
        let blobs = try BlobStores.make(configuration.blob)
        let keyring = try configuration.keysFile.map {
            try GatewayKeyring(path: $0, defaultRate: configuration.defaultRatePerSecond, defaultBurst: configuration.defaultBurst, logger: logger)
        }
        if keyring == nil {
            logger.warning("ingest.keysFile is not set: every caller is accepted under its X-Gateway-Id (development only)")
        }
        let idempotencyStore = IdempotencyStore(store: store, ttlSeconds: configuration.idempotencyTTLSeconds)
        let ledger = RecordingLedger(store: store)
        let intake = Intake(publisher: publisher, configuration: configuration,
                            idempotency: IdempotentRequests(store: idempotencyStore, retryAfterSeconds: configuration.retryAfterSeconds),
                            limiter: RateLimiter())

        var app = ServiceApp(name: "voc-ingest", http: configuration.http, router: Router(context: IngestRequestContext.self),
                             logger: logger)
        app.use(store: store, component: component, migrations: try migrations())
        app.use(publisher: publisher)
        let router = app.router
        router.add(middleware: LogRequestsMiddleware(.debug))
        let document = try openAPIDocument()
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        let api = router.group("v1").add(middleware: GatewayAuthMiddleware(
            keyring: keyring, openRate: configuration.openRatePerSecond, openBurst: max(1, configuration.openRatePerSecond * 2)))
        let recordings = RecordingController(intake: intake, blobs: blobs, ledger: ledger)
        InteractionController(intake: intake, recordings: recordings).addRoutes(to: api)
        recordings.addRoutes(to: api)
        CustomerController(intake: intake).addRoutes(to: api)

        app.run(RecordingSweeper(ledger: ledger, idempotency: idempotencyStore, blobs: blobs, publisher: publisher,
                                 configuration: configuration, logger: logger))
        if configuration.consumeRawTopic {
            let settings = StageSettings(name: "ingest-gateway-raw", topics: [Topic.gatewayRaw.rawValue], group: configuration.group,
                                         tuning: configuration.common.stage)
            let handler = GatewayRawHandler(publisher: publisher, limits: configuration.limits)
            app.run(try StageLoop(settings: settings, common: configuration.common, publisher: publisher,
                                  handler: handler, logger: logger))
        }
        return app.build()
    }
}
