import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
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
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw StoreError(code: .migration, message: "ingest migrations are missing from the bundle")
        }
        return try Migration.load(from: folder)
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
        let producer = publisher.producer
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

        let readiness = Readiness()
        readiness.add("kafka") { producer.brokersReachable && !producer.hasFatalError }
        readiness.add("postgres") { (try? await store.client.query("SELECT 1")) != nil }

        let router = Router(context: IngestRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        OperationalRoutes.add(to: router, readiness: readiness)
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

        let migrated = StartupGate()
        var services: [any Service] = [
            store, ProducerService(producer: producer),
            GatedService(after: migrated, run: RecordingSweeper(ledger: ledger, idempotency: idempotencyStore, blobs: blobs,
                                                                publisher: publisher, configuration: configuration, logger: logger)),
        ]
        if configuration.consumeRawTopic {
            let settings = StageSettings(name: "ingest-gateway-raw", topics: [Topic.gatewayRaw.rawValue], group: configuration.group,
                                         tuning: configuration.common.stage)
            let handler = GatewayRawHandler(publisher: publisher, limits: configuration.limits)
            services.append(try StageLoop(settings: settings, common: configuration.common, publisher: publisher,
                                          handler: handler, logger: logger))
        }
        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "voc-ingest"),
            services: services,
            logger: logger)
        app.beforeServerStarts {
            try await store.migrate(component: component, try migrations())
            migrated.open()
        }
        return app
    }
}
