import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Builds the projector: read models in PostgreSQL, fed from the topics, served over HTTP.
public enum ProjectorApp {
    public static let source = "/voc/projector"
    public static let component = "projector"

    /// The projector's schema changes, shipped as resources of this module.
    public static func migrations() throws -> [Migration] {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw StoreError(code: .migration, message: "projector migrations are missing from the bundle")
        }
        return try Migration.load(from: folder)
    }

    /// - Throws: ``KafkaError`` when a Kafka client cannot be configured.
    public static func build(configuration: ProjectorConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let store = Store(configuration: configuration.store, logger: logger)
        let migrated = StartupGate()
        // Projections publish only dead letters; the producer is theirs alone.
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-projector", source: source, logger: logger)
        let stage = try StageLoop(
            settings: StageSettings(name: "projector-timeline", topics: [Topic.interactionReceived.rawValue], group: configuration.group,
                                    tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher, handler: TimelineProjection(store: store), logger: logger)

        let readiness = Readiness()
        readiness.add("postgres") {
            (try? await store.client.query("SELECT 1")) != nil
        }
        let router = Router()
        OperationalRoutes.add(to: router, readiness: readiness)
        TimelineController<BasicRequestContext>(repository: TimelineRepository(store: store)).addRoutes(to: router)

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.http.host, port: configuration.http.port), serverName: "voc-projector"),
            services: [store, ProducerService(producer: publisher.producer), GatedService(after: migrated, run: stage)],
            logger: logger)
        app.beforeServerStarts {
            try await store.migrate(component: component, try migrations())
            migrated.open()
        }
        return app
    }
}
