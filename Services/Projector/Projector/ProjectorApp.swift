import Foundation
import Hummingbird
import Logging
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
        try Migration.bundled(in: .module, component: component)
    }

    /// - Throws: ``KafkaError`` when a Kafka client cannot be configured.
    public static func build(configuration: ProjectorConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let store = Store(configuration: configuration.store, logger: logger)
        // Projections publish only dead letters; the producer is theirs alone.
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-projector", source: source, logger: logger)
        var app = ServiceApp(name: "voc-projector", http: configuration.http, logger: logger)
        app.use(store: store, component: component, migrations: try migrations())
        app.use(publisher: publisher)
        TimelineController<BasicRequestContext>(repository: TimelineRepository(store: store)).addRoutes(to: app.router)
        app.run(try StageLoop(
            settings: StageSettings(name: "projector-timeline", topics: [Topic.interactionReceived.rawValue], group: configuration.group,
                                    tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher, handler: TimelineProjection(store: store), logger: logger))
        return app.build()
    }
}
