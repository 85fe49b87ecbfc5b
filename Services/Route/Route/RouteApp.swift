import Foundation
import Hummingbird
import Logging
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Builds route: the stage from insights and customer updates to tickets and owner
/// notifications, the outbox relay that publishes them, the SLA sweeper, and the
/// departments' ticket API.
public enum RouteApp {
    public static let source = "/voc/route"
    public static let component = "route"

    /// Route's schema changes, shipped as resources of this module.
    public static func migrations() throws -> [Migration] {
        try Migration.bundled(in: .module, component: component)
    }

    /// A directory file the API can edit at `url`: the sample shipped with route copied
    /// there unless a file is there already.
    public static func seedDirectory(at url: URL) throws -> URL {
        if !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.copyItem(at: try RoutingBook.Files.bundled().directory, to: url)
        }
        return url
    }

    /// - Throws: ``RouteError`` when the rules, directory or holiday file do not load,
    ///   ``KafkaError`` when a Kafka client cannot be configured.
    public static func build(configuration: RouteConfiguration, logger: Logger) throws -> some ApplicationProtocol {
        let books = try RoutingBookStore(files: configuration.files(), checkInterval: configuration.rulesCheckInterval, logger: logger)
        let store = Store(configuration: configuration.store, logger: logger)
        let publisher = try EventPublisher(common: configuration.common, clientID: "voc-route", source: source, logger: logger)
        var app = ServiceApp(name: "voc-route", http: configuration.http, logger: logger)
        app.use(store: store, component: component, migrations: try migrations())
        app.use(publisher: publisher)
        TicketController<BasicRequestContext>(service: TicketService(store: store, books: books), tokens: configuration.departmentTokens)
            .addRoutes(to: app.router)
        DirectoryController<BasicRequestContext>(editor: DirectoryEditor(books: books, editable: !configuration.directoryPath.isEmpty),
                                                 tokens: configuration.departmentTokens)
            .addRoutes(to: app.router)
        let relay = OutboxRelay(store: store, producer: publisher.producer, interval: configuration.outboxInterval, logger: logger)
        app.run(try StageLoop(
            settings: StageSettings(name: RouteHandler.stage, topics: [Topic.customerUpdated.rawValue, Topic.insightProduced.rawValue],
                                    group: configuration.group, tuning: configuration.common.stage),
            common: configuration.common, publisher: publisher,
            handler: RouteHandler(store: store, books: books, logger: logger, committed: relay.wake), logger: logger))
        app.run(relay)
        app.run(SLASweeper(store: store, books: books, interval: configuration.slaSweepInterval, logger: logger))
        return app.build()
    }
}
